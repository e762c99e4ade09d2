"""Turns off Nagle's algorithm on the sockets of TensorBoard's Rust data server, on Linux.

The data server (tensorboard-data-server 0.7) never sets TCP_NODELAY on the connections it accepts,
and has no flag for it. An answer it writes in more than one piece (gRPC's headers, then the
message) waits for the client's ACK of the first piece, which Linux delays by 40 ms: nearly every
call of every plugin under the fast loader waits that long, 40 of the 52 ms of a cold read of one
run's 1,000 greetings (BENCHMARKS.md).

TensorBoard-X starts the data server, so it can set the option for it: it borrows the server's
sockets on its port with pidfd_getfd(2) (Linux 5.6+, allowed to a process over its own children)
and sets TCP_NODELAY on them. The listening socket passes the option on to every connection it
accepts later (Linux copies a listener's options to accepted sockets); the connection TensorBoard
opened while starting the server gets it directly. Where borrowing cannot work (macOS, Windows, a
kernel before 5.6, a container whose seccomp profile refuses pidfd_getfd without CAP_SYS_PTRACE, as
Docker's and containerd's defaults do) nothing changes but one line at info level saying so;
`--data_server_nodelay=false` (main.py) skips the attempt.

Written here rather than taken from a library: no package on PyPI borrows another process's sockets,
and the alternative, a proxy between TensorBoard and the data server, would add a hop to every call.
"""

import contextlib
import ctypes
import errno
import logging
import os
import socket
import sys

logger = logging.getLogger(__name__)

# pidfd_getfd's number in Linux's unified system call table (every architecture but Alpha); Python's
# os module has pidfd_open but not this call.
_SYS_PIDFD_GETFD = 438
# /proc/net/tcp's states of the sockets worth setting: a listener, and connections already open.
_LISTEN = "0A"
_ESTABLISHED = "01"
# What pidfd_open or pidfd_getfd fail with where the system does not let this process borrow:
# seccomp (Docker's default profile answers EPERM, newer ones ENOSYS), ptrace rules, an old kernel.
REFUSED_ERRNOS = (errno.EPERM, errno.EACCES, errno.ENOSYS)


def disable_nagle(port):
    """Sets TCP_NODELAY on the sockets of this process's child that serves `port` (None: unknown).

    Returns None once done, or why it could not be, which it also logs once: at info level where
    the system does not allow it (nothing the user can change but the flag that skips it), as a
    warning otherwise. The data server then answers as it did before, only slower. It never raises:
    this is a speed-up, and TensorBoard-X starts without it.
    """
    if not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open"):
        return _cannot_work_here("TensorBoard-X sets it on Linux only")
    if port is None:
        return _keeps_waiting("TensorBoard-X cannot tell which port the data server serves")
    try:
        inodes = socket_inodes_on_port(port)
        pid = child_with_sockets(inodes)
        if pid is None:
            problem = "no child process of this one listens on port %d" % port
        else:
            with borrowed(pid, inodes) as sockets:
                for copy in sockets:
                    copy.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return None
    except OSError as e:
        problem = "cannot reach its sockets (%s)" % (os.strerror(e.errno) if e.errno else e)
        if e.errno in REFUSED_ERRNOS:
            return _cannot_work_here(
                problem + "; in a container, pidfd_getfd needs CAP_SYS_PTRACE or a seccomp profile that allows it"
            )
    except Exception as e:  # pylint: disable=broad-except
        # /proc in a shape this module does not expect, say: a reason to go slower, not to stop.
        problem = "%s: %s" % (type(e).__name__, e)
    return _keeps_waiting(problem)


_WAITING = "The data server's answers keep waiting for delayed ACKs (~40 ms): %s."


def _keeps_waiting(problem):
    logger.warning(_WAITING, problem)
    return problem


def _cannot_work_here(problem):
    logger.info(_WAITING + " --data_server_nodelay=false skips trying.", problem)
    return problem


@contextlib.contextmanager
def borrowed(pid, inodes):
    """A context manager that yields copies of process `pid`'s sockets `inodes` (socket_inodes_on_port).

    A copy shares the socket itself (its options) with the process; the copies are closed on exit.
    Raises OSError where the system does not let this process borrow them (REFUSED_ERRNOS).
    """
    pidfd = os.pidfd_open(pid)
    copies = []
    try:
        for fd in _fds_of_sockets(pid, inodes):
            copy = _syscall(_SYS_PIDFD_GETFD, pidfd, fd, 0)
            try:
                copies.append(socket.socket(fileno=copy))
            except OSError:
                os.close(copy)
                raise
        yield copies
    finally:
        for copy in copies:
            copy.close()
        os.close(pidfd)


def _syscall(number, *args):
    libc = ctypes.CDLL(None, use_errno=True)
    result = libc.syscall(number, *args)
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return result


def socket_inodes_on_port(port):
    """The inodes of the TCP sockets (IPv4 and IPv6) listening or connected on local `port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except FileNotFoundError:  # A kernel without IPv6 has no tcp6 table.
            continue
        for row in rows:
            fields = row.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] in (_LISTEN, _ESTABLISHED):
                inodes.add(fields[9])
    return inodes


def _fds_of_sockets(pid, inodes):
    """Process `pid`'s file descriptors that are the sockets `inodes`."""
    fds = []
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:  # Closed while listed.
            continue
        if target.startswith("socket:[") and target[len("socket:["):-1] in inodes:
            fds.append(int(fd))
    return fds


def data_server_port(data_provider):
    """The port of the data server behind a fast-loader `data_provider`, or None if it cannot be told."""
    # TensorBoard 2.21 keeps the server's `localhost:PORT` in its data provider's `_addr` only.
    port = str(getattr(data_provider, "_addr", "")).rpartition(":")[2]
    return int(port) if port.isdigit() else None


def child_serving(port):
    """The pid of this process's child that listens on or is connected at local `port`, or None."""
    if port is None:
        return None
    return child_with_sockets(socket_inodes_on_port(port))


def child_with_sockets(inodes):
    """The pid of this process's child that holds any of the sockets `inodes`, or None."""
    for pid in children():
        try:
            if _fds_of_sockets(pid, inodes):
                return pid
        except OSError:  # The child has exited meanwhile, or its fds are not ours to list.
            continue
    return None


def children():
    """The pids whose parent is this process."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        # The command's name, in parentheses, may hold spaces; the parent's pid follows it and the state.
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
            pids.append(int(entry))
    return pids
