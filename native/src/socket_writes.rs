//! One WebSocket text message written to many TCP sockets in one call: the
//! fan-out of a shared subscription result, where every socket's frame is its
//! RFC 6455 header, the subscription's own head and the result's shared tail.
//!
//! Each frame goes out with one nonblocking `sendmsg(2)` of three iovecs (no
//! frame is assembled, nothing is copied). What the kernel does not take at
//! once is left to the caller: the bytes each socket took are returned, and
//! once a socket took less than its whole frame, no later frame of the same
//! call is sent to it, so the caller can queue the rest behind it in order.

use std::io;
use std::os::fd::RawFd;

/// Longest RFC 6455 frame header: 2 bytes, then a 64-bit length.
const MAX_HEADER: usize = 10;

/// The header of a final, unmasked text frame (what a server sends) carrying
/// `length` bytes, and how many of the returned bytes it takes.
pub fn text_frame_header(length: usize) -> ([u8; MAX_HEADER], usize) {
    let mut header = [0u8; MAX_HEADER];
    header[0] = 0x81;
    if length < 126 {
        header[1] = length as u8;
        (header, 2)
    } else if length < 0x1_0000 {
        header[1] = 126;
        header[2..4].copy_from_slice(&(length as u16).to_be_bytes());
        (header, 4)
    } else {
        header[1] = 127;
        header[2..10].copy_from_slice(&(length as u64).to_be_bytes());
        (header, 10)
    }
}

/// Sends `head` then `tail` as one text frame on `socket` without blocking,
/// and returns the bytes the kernel took: the whole frame, part of it, or 0
/// when its send buffer is full (`EAGAIN`) or the send failed (the caller's
/// own write of the frame meets the same error and reports it).
pub fn send_text_frame(socket: RawFd, head: &[u8], tail: &[u8]) -> usize {
    let (header, header_length) = text_frame_header(head.len() + tail.len());
    let mut parts = [
        libc::iovec {
            iov_base: header.as_ptr() as *mut libc::c_void,
            iov_len: header_length,
        },
        libc::iovec {
            iov_base: head.as_ptr() as *mut libc::c_void,
            iov_len: head.len(),
        },
        libc::iovec {
            iov_base: tail.as_ptr() as *mut libc::c_void,
            iov_len: tail.len(),
        },
    ];
    // SAFETY: an all-zero msghdr is valid (no address, no control data).
    let mut message: libc::msghdr = unsafe { std::mem::zeroed() };
    message.msg_iov = parts.as_mut_ptr();
    message.msg_iovlen = parts.len() as _;
    loop {
        // SAFETY: every iovec points into a slice borrowed for this call.
        let sent =
            unsafe { libc::sendmsg(socket, &message, libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) };
        if sent >= 0 {
            return sent as usize;
        }
        if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return 0;
        }
    }
}

/// Sends `heads[i]` then `tail` as one text frame on `sockets[i]` for every
/// `i`, in order, and stores the bytes each took in `written[i]`. A socket
/// that took less than its whole frame gets nothing more from this call
/// (`written` is 0 for its later frames), so frames never overtake a rest
/// still to be queued. `written` of a frame of 4 GiB or more is 0 (not sent).
pub fn send_text_frames<H: AsRef<[u8]>>(
    sockets: &[RawFd],
    heads: &[H],
    tail: &[u8],
    written: &mut [u32],
) {
    let mut stalled: Vec<RawFd> = Vec::new();
    for ((&socket, head), written) in sockets.iter().zip(heads).zip(written.iter_mut()) {
        let head = head.as_ref();
        let length = head.len() + tail.len();
        let whole = text_frame_header(length).1 + length;
        if stalled.contains(&socket) {
            *written = 0;
            continue;
        }
        if whole > u32::MAX as usize {
            *written = 0;
            stalled.push(socket);
            continue;
        }
        let sent = send_text_frame(socket, head, tail);
        if sent < whole {
            stalled.push(socket);
        }
        *written = sent as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::{TcpListener, TcpStream};
    use std::os::fd::AsRawFd;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (server, client)
    }

    #[test]
    fn headers_follow_rfc_6455_length_classes() {
        assert_eq!(text_frame_header(0).0[..2], [0x81, 0]);
        assert_eq!(text_frame_header(125).0[..2], [0x81, 125]);
        assert_eq!(text_frame_header(126).0[..4], [0x81, 126, 0, 126]);
        assert_eq!(text_frame_header(65_535).0[..4], [0x81, 126, 0xff, 0xff]);
        let (header, size) = text_frame_header(70_000);
        assert_eq!(size, 10);
        assert_eq!(header[..10], [0x81, 127, 0, 0, 0, 0, 0, 0x01, 0x11, 0x70]);
    }

    #[test]
    fn frames_arrive_whole_and_in_order() {
        let (server, mut client) = pair();
        let fd = server.as_raw_fd();
        let heads = [b"{\"id\":\"a\",".as_slice(), b"{\"id\":\"bb\",".as_slice()];
        let mut written = [0u32; 2];
        send_text_frames(&[fd, fd], &heads, b"\"x\":1}", &mut written);
        assert_eq!(written, [18, 19]);
        let mut received = vec![0u8; 37];
        client.read_exact(&mut received).unwrap();
        assert_eq!(&received[..2], [0x81, 16]);
        assert_eq!(&received[2..18], b"{\"id\":\"a\",\"x\":1}");
        assert_eq!(&received[18..20], [0x81, 17]);
        assert_eq!(&received[20..], b"{\"id\":\"bb\",\"x\":1}");
    }

    #[test]
    fn a_full_socket_gets_nothing_more_in_the_same_call() {
        let (server, _client) = pair();
        let fd = server.as_raw_fd();
        let tail = vec![b'x'; 1 << 20];
        // The client does not read: the send buffer fills within a few frames.
        let sockets = [fd; 64];
        let heads = [b"{".as_slice(); 64];
        let mut written = [0u32; 64];
        send_text_frames(&sockets, &heads, &tail, &mut written);
        let whole = 10 + 1 + tail.len() as u32;
        let short = written.iter().position(|&sent| sent < whole).unwrap();
        assert!(written[short + 1..].iter().all(|&sent| sent == 0));
    }

    #[test]
    fn a_closed_socket_takes_nothing() {
        let (server, client) = pair();
        drop(client);
        let mut written = [u32::MAX; 1];
        // The first send after the peer left may still be taken; keep going until refused.
        for _ in 0..100 {
            send_text_frames(&[server.as_raw_fd()], &[b"{"], b"}", &mut written);
            if written[0] == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(written, [0]);
    }
}
