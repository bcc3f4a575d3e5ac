"""Drive the console in a real pseudo-terminal and time it, for `npm run bench`.

Usage: pty_driver.py KEYS ROWS COLS -- command...
Prints one JSON object: firstFrameMs, keyLatenciesMs (one per key), peakRssKb.
A frame is "done" when output has arrived and then been quiet for a short settle time.
"""
import json, os, pty, select, sys, time

def main():
    keys = int(sys.argv[1]); rows = int(sys.argv[2]); cols = int(sys.argv[3])
    cmd = sys.argv[sys.argv.index('--') + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ['TERM'] = 'xterm-256color'
        os.environ['LINES'] = str(rows); os.environ['COLUMNS'] = str(cols)
        os.execvp(cmd[0], cmd)
    import fcntl, termios, struct
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    start = time.perf_counter()

    def read_until_quiet(deadline_s, settle_s, need=1):
        """Read until at least `need` bytes arrived and then `settle_s` of silence. Returns time of first byte."""
        got = 0; first = None; last = None
        end = time.perf_counter() + deadline_s
        while time.perf_counter() < end:
            timeout = settle_s if got >= need else max(0.0, end - time.perf_counter())
            r, _, _ = select.select([fd], [], [], timeout)
            if not r:
                if got >= need: break
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data: break
            now = time.perf_counter()
            if first is None: first = now
            last = now; got += len(data)
        return first, last, got

    # First frame: the first substantial burst of output (the alternate screen plus the inbox).
    first, last, got = read_until_quiet(20.0, 0.25, need=200)
    first_frame_ms = ((last or time.perf_counter()) - start) * 1000 if got else None
    latencies = []
    for i in range(keys):
        sent = time.perf_counter()
        os.write(fd, b'j' if (i // 50) % 2 == 0 else b'k')
        f, l, g = read_until_quiet(2.0, 0.004, need=1)
        if f is not None: latencies.append((f - sent) * 1000)
    peak = None
    try:
        with open(f'/proc/{pid}/status') as fh:
            for line in fh:
                if line.startswith('VmHWM:'): peak = int(line.split()[1])
    except OSError:
        pass
    os.write(fd, b'q')
    read_until_quiet(3.0, 0.2)
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    print(json.dumps({'firstFrameMs': first_frame_ms, 'keyLatenciesMs': latencies, 'peakRssKb': peak}))

main()
