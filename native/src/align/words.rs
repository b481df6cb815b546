//! Arrays of a seed table: built in memory, or read in place from a
//! memory-mapped index file.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use memmap2::{Mmap, UncheckedAdvice};

/// Plain integers any bit pattern of which is a value (so a mapped file can
/// be read as an array of them).
pub(super) trait Word: Copy + Default + 'static {}
impl Word for u32 {}
impl Word for u64 {}

/// What keeps a [`Words`] array's memory alive.
enum Owner<T> {
    Owned(Vec<T>),
    Mapped(Arc<Mmap>),
}

/// A read-only array of `T`, owned or a view of a memory-mapped file.
pub(super) struct Words<T: Word> {
    pointer: *const T,
    len: usize,
    owner: Owner<T>,
}

// SAFETY: the array is never written through `pointer`, and its owner (a
// `Vec` or a shared read-only mapping) is itself `Send` and `Sync`.
unsafe impl<T: Word + Send> Send for Words<T> {}
// SAFETY: as above; shared access is read-only.
unsafe impl<T: Word + Sync> Sync for Words<T> {}

impl<T: Word> Words<T> {
    /// The array `values`, owned.
    pub(super) fn owned(values: Vec<T>) -> Self {
        Words {
            pointer: values.as_ptr(),
            len: values.len(),
            owner: Owner::Owned(values),
        }
    }

    /// The `len` values at byte `offset` of `map`, or `None` when they do not
    /// lie within it or `offset` is not aligned for `T`.
    pub(super) fn mapped(map: &Arc<Mmap>, offset: usize, len: usize) -> Option<Self> {
        let bytes = len.checked_mul(size_of::<T>())?;
        if offset.checked_add(bytes)? > map.len() {
            return None;
        }
        // SAFETY: `offset` is within the mapping (checked above).
        let pointer = unsafe { map.as_ptr().add(offset) } as *const T;
        if !pointer.is_aligned() {
            return None;
        }
        Some(Words {
            pointer,
            len,
            owner: Owner::Mapped(Arc::clone(map)),
        })
    }

    /// Whether the array is a view of a mapped file.
    pub(super) fn is_mapped(&self) -> bool {
        matches!(self.owner, Owner::Mapped(_))
    }

    /// Drops the pages of the mapped file (the whole mapping) from this
    /// process's resident memory; the next read of them maps them again from
    /// the page cache or the disk. Nothing for an owned array.
    pub(super) fn drop_resident_pages(&self) -> std::io::Result<()> {
        match &self.owner {
            // SAFETY: the mapping is shared and read-only, of a file never
            // written in place (see `deref`): pages dropped are read back
            // unchanged from the file, so no view of them changes.
            Owner::Mapped(map) => unsafe { map.unchecked_advise(UncheckedAdvice::DontNeed) },
            Owner::Owned(_) => Ok(()),
        }
    }
}

impl<T: Word> Deref for Words<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        // SAFETY: `pointer` and `len` describe memory that `owner` keeps alive
        // and unchanged (a `Vec` never resized, or a read-only mapping of a
        // file that is only ever replaced by rename, never written in place),
        // aligned, and any bit pattern is a `T`.
        unsafe { std::slice::from_raw_parts(self.pointer, self.len) }
    }
}

impl<T: Word> Clone for Words<T> {
    fn clone(&self) -> Self {
        match &self.owner {
            Owner::Owned(values) => Words::owned(values.clone()),
            Owner::Mapped(map) => Words {
                pointer: self.pointer,
                len: self.len,
                owner: Owner::Mapped(Arc::clone(map)),
            },
        }
    }
}

impl<T: Word> fmt::Debug for Words<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Words")
            .field("len", &self.len)
            .field("mapped", &self.is_mapped())
            .finish()
    }
}
