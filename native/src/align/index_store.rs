//! An index saved to a file (see `index_location` for where): mapped from
//! there while the reference file is unchanged, otherwise built and saved
//! (written aside, then renamed into place), or kept in memory only when it
//! cannot be saved anywhere.

use std::ffi::OsString;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::index::{concatenate, Concatenated, IndexOptions};
use super::index_file::{read, write, Rejection, SourceStamp};
use super::index_location::index_candidates;
use super::table_build::ProgressSink;
use super::{AlignError, ReferenceIndex};

/// An index and how it was obtained.
#[derive(Debug)]
pub struct StoredIndex {
    /// The index, its contigs marked circular.
    pub index: ReferenceIndex,
    /// Whether its tables are mapped from a saved file (no build needed).
    pub mapped: bool,
    /// The file it was saved to or mapped from; `None` when it is in memory
    /// only.
    pub file: Option<PathBuf>,
    /// Why a saved file was not used (`None` when none existed or it was).
    pub rebuilt_because: Option<String>,
    /// What went wrong on the way (a damaged file rebuilt, an unwritable
    /// directory), for the caller to show.
    pub warnings: Vec<String>,
}

/// Size and modification time of `path`.
fn stamp_of(path: &Path) -> std::io::Result<SourceStamp> {
    let metadata = fs::metadata(path)?;
    let modified = metadata.modified()?;
    let modified_ns = modified
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    Ok(SourceStamp {
        size: metadata.len(),
        modified_ns,
    })
}

/// The index of `contigs` (read from the file `reference`) with `options`
/// and the contigs numbered in `circular` joined at their origin: mapped
/// from a saved file built from the same file, bases and options, else
/// built (with progress) and saved. The file is `<index_dir>/<name>.<hash>.hix`
/// when `index_dir` is given; else `<reference>.hix`, or the same name in the
/// per-user cache directory when the reference's directory is not writable.
pub fn open_or_build<'a, N, I>(
    reference: &Path,
    index_dir: Option<&Path>,
    contigs: I,
    circular: &[usize],
    options: &IndexOptions,
    progress: ProgressSink,
) -> Result<StoredIndex, AlignError>
where
    N: Into<String>,
    I: IntoIterator<Item = (N, &'a [u8])>,
{
    options.checked()?;
    open_or_build_concatenated(
        reference,
        index_dir,
        concatenate(contigs)?,
        circular,
        options,
        progress,
    )
}

/// [`open_or_build`] over contigs already concatenated (e.g. shared with
/// their reference by [`super::share_contigs`]).
pub fn open_or_build_concatenated(
    reference: &Path,
    index_dir: Option<&Path>,
    concatenated: Concatenated,
    circular: &[usize],
    options: &IndexOptions,
    progress: ProgressSink,
) -> Result<StoredIndex, AlignError> {
    let options = options.checked()?;
    let mut is_circular = vec![false; concatenated.0.len()];
    for &contig in circular {
        is_circular[contig] = true;
    }
    let candidates = index_candidates(reference, index_dir);
    let mut warnings = Vec::new();
    let source = match stamp_of(reference) {
        Ok(stamp) => Some(stamp),
        Err(e) => {
            warnings.push(format!(
                "cannot read the size and time of {}: {e}; the index is built in memory",
                reference.display()
            ));
            None
        }
    };
    let mut rebuilt_because = None;
    for path in candidates.iter().filter(|_| source.is_some()) {
        let Ok(file) = File::open(path) else { continue };
        match read(
            &file,
            source.expect("filtered"),
            options,
            &concatenated,
            &is_circular,
            progress,
        ) {
            Ok((table, short)) => {
                let index = ReferenceIndex::from_parts(concatenated, table, short);
                return Ok(StoredIndex {
                    index: with_circular(index, circular),
                    mapped: true,
                    file: Some(path.clone()),
                    rebuilt_because: None,
                    warnings,
                });
            }
            Err(Rejection::Stale(why)) => rebuilt_because = Some(why),
            Err(Rejection::Corrupt(why)) => {
                warnings.push(format!(
                    "the index file {} is damaged ({why}): it is rebuilt",
                    path.display()
                ));
                rebuilt_because = Some(why);
            }
        }
    }
    let mut index = with_circular(
        ReferenceIndex::build(concatenated, options, progress),
        circular,
    );
    let mut file = None;
    if let Some(source) = source {
        let mut failures = Vec::new();
        for path in &candidates {
            match save(path, &index, source, options, progress) {
                Ok(()) => {
                    index = mapped_as_saved(index, path, source, options, circular, progress);
                    file = Some(path.clone());
                    break;
                }
                Err(e) => failures.push(format!("{} ({e})", path.display())),
            }
        }
        if file.is_none() {
            warnings.push(format!(
                "cannot save the index as {}: it is kept in memory only and built again next time",
                failures.join(" nor as ")
            ));
        }
    }
    Ok(StoredIndex {
        index,
        mapped: false,
        file,
        rebuilt_because,
        warnings,
    })
}

/// `index` just saved as `path`, its tables freed and mapped from the file
/// as a later run maps them: the pages of a mapped table can leave resident
/// memory ([`ReferenceIndex::drop_resident_pages`]), a built one's cannot.
/// Built again in the unlikely case the file cannot be read back.
fn mapped_as_saved(
    index: ReferenceIndex,
    path: &Path,
    source: SourceStamp,
    options: &IndexOptions,
    circular: &[usize],
    progress: ProgressSink,
) -> ReferenceIndex {
    // Freed before the file is read, so the tables are never resident twice.
    let (contigs, is_circular) = index.into_contigs();
    // Checking a file just written is no stage of its own to report.
    let tables = File::open(path)
        .map_err(|e| Rejection::Corrupt(e.to_string()))
        .and_then(|file| read(&file, source, options, &contigs, &is_circular, &|_| {}));
    let index = match tables {
        Ok((table, short)) => ReferenceIndex::from_parts(contigs, table, short),
        Err(_) => ReferenceIndex::build(contigs, options, progress),
    };
    with_circular(index, circular)
}

/// `index` with the contigs numbered in `circular` joined at their origin.
fn with_circular(mut index: ReferenceIndex, circular: &[usize]) -> ReferenceIndex {
    for &contig in circular {
        index.set_circular(contig);
    }
    index
}

/// Writes `index` to a file beside `path` (creating its directory), then
/// renames it to `path`, so a reader never sees a partly written index.
fn save(
    path: &Path,
    index: &ReferenceIndex,
    source: SourceStamp,
    options: &IndexOptions,
    progress: ProgressSink,
) -> std::io::Result<()> {
    let mut aside = OsString::from(path.as_os_str());
    aside.push(format!(".{}.tmp", std::process::id()));
    let aside = PathBuf::from(aside);
    if let Some(directory) = path.parent() {
        fs::create_dir_all(directory)?;
    }
    let written =
        write(&aside, index, source, options, progress).and_then(|()| fs::rename(&aside, path));
    if written.is_err() {
        let _ = fs::remove_file(&aside);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::index_location::{index_path, index_path_in};
    use crate::caller::simulation::Rng;
    use std::io::{Seek, SeekFrom, Write};

    /// A scratch directory, removed when dropped.
    struct Scratch(PathBuf);

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    /// A reference path in a new scratch directory.
    fn scratch(name: &str) -> (Scratch, PathBuf) {
        let dir = std::env::temp_dir().join(format!("helix-hix-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ref.fa");
        (Scratch(dir), path)
    }

    fn open(path: &Path, bases: &[u8], circular: &[usize]) -> StoredIndex {
        open_in(path, None, bases, circular)
    }

    fn open_in(
        path: &Path,
        index_dir: Option<&Path>,
        bases: &[u8],
        circular: &[usize],
    ) -> StoredIndex {
        let contigs = [("chr1", &bases[..30_000]), ("plasmid", &bases[30_000..])];
        open_or_build(
            path,
            index_dir,
            contigs,
            circular,
            &IndexOptions::default(),
            &|_| {},
        )
        .unwrap()
    }

    #[test]
    fn maps_the_saved_index_while_the_reference_is_unchanged() {
        let (_scratch, path) = scratch("reopen");
        let bases = Rng::new(3).bases(40_000);
        fs::write(&path, b">chr1\n").unwrap();
        let built = open(&path, &bases, &[1]);
        assert!(!built.mapped && built.warnings.is_empty());
        // Saved, its tables are read back from the file as the next run reads them.
        assert!(built.index.is_mapped() && built.index.is_circular(1));
        assert_eq!(built.file.as_deref(), Some(index_path(&path).as_path()));
        let mapped = open(&path, &bases, &[1]);
        assert!(mapped.mapped && mapped.index.is_mapped() && mapped.index.is_circular(1));
        assert_eq!(mapped.index.table().arrays(), built.index.table().arrays());
        assert_eq!(
            mapped.index.global_sequence(),
            built.index.global_sequence()
        );
        // Another circular set, then another file, are rebuilt.
        let other = open(&path, &bases, &[]);
        assert!(!other.mapped && other.rebuilt_because.is_some());
        fs::write(&path, b">chr1 changed\n").unwrap();
        let changed = open(&path, &bases, &[]);
        assert_eq!(
            changed.rebuilt_because.as_deref(),
            Some("the reference file changed since")
        );
    }

    #[test]
    fn rebuilds_a_damaged_index_file_with_a_warning() {
        let (_scratch, path) = scratch("damaged");
        let bases = Rng::new(4).bases(40_000);
        fs::write(&path, b">chr1\n").unwrap();
        open(&path, &bases, &[]);
        let hix = index_path(&path);
        let mut file = fs::OpenOptions::new().write(true).open(&hix).unwrap();
        file.seek(SeekFrom::Start(5_000)).unwrap();
        file.write_all(&[0xff; 8]).unwrap();
        drop(file);
        let damaged = open(&path, &bases, &[]);
        assert!(!damaged.mapped);
        assert!(
            damaged.warnings[0].contains("checksum"),
            "{:?}",
            damaged.warnings
        );
        let length = fs::metadata(&hix).unwrap().len();
        fs::OpenOptions::new()
            .write(true)
            .open(&hix)
            .unwrap()
            .set_len(length / 2)
            .unwrap();
        let truncated = open(&path, &bases, &[]);
        assert!(!truncated.mapped && truncated.warnings[0].contains("damaged"));
        assert!(open(&path, &bases, &[]).mapped, "the rebuilt file is used");
    }

    #[test]
    fn saves_to_and_maps_from_a_chosen_directory_only() {
        let (_scratch, path) = scratch("chosen");
        let bases = Rng::new(6).bases(40_000);
        fs::write(&path, b">chr1\n").unwrap();
        let indexes = path.parent().unwrap().join("indexes");
        let built = open_in(&path, Some(&indexes), &bases, &[]);
        assert_eq!(built.file, Some(index_path_in(&indexes, &path)));
        assert!(
            !index_path(&path).exists(),
            "nothing is written beside the reference"
        );
        assert!(open_in(&path, Some(&indexes), &bases, &[]).mapped);
    }

    #[test]
    fn keeps_the_index_in_memory_when_its_directory_is_not_writable() {
        let (_scratch, path) = scratch("read-only");
        let bases = Rng::new(5).bases(40_000);
        fs::write(&path, b">chr1\n").unwrap();
        let directory = path.parent().unwrap();
        let mut permissions = fs::metadata(directory).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(directory, permissions.clone()).unwrap();
        let unsaved = open_in(&path, Some(directory), &bases, &[]);
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        fs::set_permissions(directory, permissions).unwrap();
        // Root writes anywhere: then the index is saved after all.
        if unsaved.file.is_none() {
            assert!(unsaved.warnings[0].contains("kept in memory only"));
        }
        assert!(!unsaved.mapped);
        assert_eq!(unsaved.index.total_length(), 40_000);
    }
}
