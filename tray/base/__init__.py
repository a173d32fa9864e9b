"""What every layer above the core may use at the edge of the outside world: the guarded reader
of files (`guard`), atomic writes (`atomic`), file and instance locks (`lockfile`), and the
tests' knobs (`testhooks`, the only reader of POINTBREAK_TEST_*).
"""
