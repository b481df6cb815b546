//! Where the index of a reference file is saved: in a chosen directory, or
//! beside the reference (`<reference>.hix`) with a per-user cache directory
//! for references whose directory cannot be written.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Where the index of the reference file `reference` is saved beside it,
/// with `.hix` appended to its name.
pub fn index_path(reference: &Path) -> PathBuf {
    let mut name = OsString::from(reference.as_os_str());
    name.push(".hix");
    PathBuf::from(name)
}

/// The file in `directory` that holds the index of `reference`: its file
/// name and a hash of its absolute path, so two references of the same name
/// in different directories do not take turns overwriting one index.
pub fn index_path_in(directory: &Path, reference: &Path) -> PathBuf {
    let absolute = std::path::absolute(reference).unwrap_or_else(|_| reference.to_path_buf());
    let name = reference
        .file_name()
        .map_or_else(|| "reference".into(), |n| n.to_string_lossy());
    directory.join(format!(
        "{name}.{:016x}.hix",
        fnv1a(absolute.as_os_str().as_encoded_bytes())
    ))
}

/// The per-user directory indexes go to when a reference's own directory
/// cannot be written: `$XDG_CACHE_HOME/helix/indexes`, else
/// `~/.cache/helix/indexes`; `None` when neither variable is set.
pub fn user_cache_dir() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|d| !d.is_empty())
                .map(|home| Path::new(&home).join(".cache"))
        })?;
    Some(cache.join("helix").join("indexes"))
}

/// The files the index of `reference` is looked for in and saved to, in
/// order: only in `index_dir` when one is given, else beside the reference
/// and then in the per-user cache directory.
pub fn index_candidates(reference: &Path, index_dir: Option<&Path>) -> Vec<PathBuf> {
    match index_dir {
        Some(directory) => vec![index_path_in(directory, reference)],
        None => std::iter::once(index_path(reference))
            .chain(user_cache_dir().map(|dir| index_path_in(&dir, reference)))
            .collect(),
    }
}

/// FNV-1a, 64 bits: stable across builds and toolchains, unlike std's
/// hasher, so a file name computed today is found again after an upgrade.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_directory_is_the_only_place_looked_in() {
        let reference = Path::new("/data/tmv/reference.gbk");
        let candidates = index_candidates(reference, Some(Path::new("/tmp/indexes")));
        assert_eq!(candidates.len(), 1);
        assert!(candidates[0].starts_with("/tmp/indexes"));
        let name = candidates[0].file_name().unwrap().to_string_lossy();
        assert!(name.starts_with("reference.gbk.") && name.ends_with(".hix"));
    }

    #[test]
    fn references_of_one_name_in_two_directories_get_two_files() {
        let directory = Path::new("/cache");
        assert_ne!(
            index_path_in(directory, Path::new("/a/ref.fa")),
            index_path_in(directory, Path::new("/b/ref.fa"))
        );
    }

    #[test]
    fn without_a_chosen_directory_the_file_beside_the_reference_comes_first() {
        let reference = Path::new("/data/ref.fa");
        let candidates = index_candidates(reference, None);
        assert_eq!(candidates[0], Path::new("/data/ref.fa.hix"));
        assert!(candidates[1..]
            .iter()
            .all(|c| c.parent().unwrap().ends_with("helix/indexes")));
    }
}
