import os

from nlsh.kernel.stdin import PipedInput, describe


def test_describe_shows_a_few_lines_and_hides_binary():
    assert describe(b"".join(b"line %d\n" % i for i in range(100))).splitlines() == [f"line {i}" for i in range(5)]
    assert describe(b"\x00\x01\x02") == "(binary data, not shown)"
    assert describe(b"") == "(empty)"


def test_a_file_on_stdin_is_passed_as_is(tmp_path):
    path = tmp_path / "data"
    path.write_bytes(b"x" * 10000 + b"\nend\n")
    fd = os.open(path, os.O_RDONLY)
    piped = PipedInput(fd)
    assert piped.preview.startswith("xxx")
    taken = piped.take()
    assert taken.read() == path.read_bytes()
    assert piped.take() is None  # only one step gets the data
    os.close(fd)


def test_a_pipe_is_peeked_without_losing_a_byte():
    read_end, write_end = os.pipe()
    payload = os.urandom(1 << 20)
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        view = memoryview(payload)
        while view:
            view = view[os.write(write_end, view):]
        os._exit(0)
    os.close(write_end)
    piped = PipedInput(read_end)
    data = piped.take().read()
    os.waitpid(pid, 0)
    assert data == payload
    os.close(read_end)


def test_kept_for_many_every_reader_gets_all_of_a_pipe():
    read_end, write_end = os.pipe()
    os.write(write_end, b"name,age\nbob,3\nann,4\n")
    os.close(write_end)
    piped = PipedInput(read_end)
    piped.keep_for_many()
    assert [piped.take().read() for _ in range(3)] == [b"name,age\nbob,3\nann,4\n"] * 3
    os.close(read_end)


def test_kept_for_many_a_file_is_read_from_where_stdin_stood(tmp_path):
    path = tmp_path / "data"
    path.write_bytes(b"skip\nkeep\n")
    fd = os.open(path, os.O_RDONLY)
    os.lseek(fd, 5, os.SEEK_SET)
    piped = PipedInput(fd)
    piped.keep_for_many()
    assert piped.take().read() == b"keep\n" and piped.take().read() == b"keep\n"
    os.close(fd)


def test_an_idle_pipe_does_not_hang_planning():
    read_end, write_end = os.pipe()
    piped = PipedInput(read_end, first_wait=0.2)  # the writer never writes
    assert piped.preview == "(nothing has arrived yet)"
    os.close(write_end)
    assert piped.take().read() == b""
    os.close(read_end)
