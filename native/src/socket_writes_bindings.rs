//! Bindings of the socket fan-out writer (`socket_writes`).

use napi::bindgen_prelude::{BufferSlice, Int32ArraySlice, Uint32ArraySlice};
use napi::{Error, Result, Status};
use napi_derive::napi;

use crate::socket_writes;

/// Sends `heads[i]` then `tail` as one WebSocket text frame (final, unmasked,
/// as a server sends) on the TCP socket with file descriptor `sockets[i]`,
/// for every `i` in order, each with one nonblocking `sendmsg` (no copy), on
/// the calling thread; `written[i]` is set to the bytes the kernel took. Less
/// than the whole frame (a full send buffer, a failed send: 0) leaves the rest
/// to the caller, and that socket gets nothing more from this call, so the
/// rest can be queued in order. Linux; the descriptors must be open sockets.
#[napi]
pub fn send_text_frames(
    sockets: Int32ArraySlice,
    heads: Vec<BufferSlice>,
    tail: BufferSlice,
    mut written: Uint32ArraySlice,
) -> Result<()> {
    if heads.len() != sockets.len() || written.len() != sockets.len() {
        return Err(Error::new(
            Status::InvalidArg,
            format!(
                "sendTextFrames: {} sockets, {} heads and {} written counts differ",
                sockets.len(),
                heads.len(),
                written.len()
            ),
        ));
    }
    // SAFETY: the call is synchronous on the JS thread, so nothing else touches
    // `written` while it is filled.
    let written = unsafe { written.as_mut() };
    socket_writes::send_text_frames(&sockets, &heads, &tail, written);
    Ok(())
}
