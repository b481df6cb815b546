//! Byte buffers the simulator writes into: huge-page vectors, decimals.

/// An empty vector with room for `capacity` bytes, backed by transparent huge
/// pages where the system offers them: reads are sampled at random positions,
/// and 4 KiB pages would make nearly every read a TLB miss.
pub(super) fn huge_page_vec(capacity: usize) -> Vec<u8> {
    let vec = Vec::with_capacity(capacity);
    #[cfg(target_os = "linux")]
    if capacity >= 1 << 21 {
        // SAFETY: advice on memory this vector owns; it never changes contents.
        unsafe {
            let page = 4096usize;
            let start = (vec.as_ptr() as usize).div_ceil(page) * page;
            let end = (vec.as_ptr() as usize + capacity) / page * page;
            if end > start {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }
    vec
}

/// Appends `value` in decimal.
#[inline]
pub fn push_decimal(text: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut n = digits.len();
    loop {
        n -= 1;
        digits[n] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    text.extend_from_slice(&digits[n..]);
}
