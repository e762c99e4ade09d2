"""Helpers of this workspace's repository rules (@pypi, @npm): fail with a message that says why."""

def run_or_fail(rctx, args, what, timeout = 600):
    """Runs `args` in the repository's directory; returns their stripped stdout, or fails saying `what` failed."""
    result = rctx.execute(args, timeout = timeout)
    if result.return_code != 0:
        fail("%s failed (exit %d):\n%s\n%s" % (what, result.return_code, result.stdout, result.stderr))
    return result.stdout.strip()

def which_or_fail(rctx, program, debian_packages):
    """The path of `program` on PATH, or a failure naming the Debian packages that tools/bazel installs."""
    path = rctx.which(program)
    if not path:
        fail("%s is not on PATH; tools/bazel installs it (apt-get install %s)." % (program, debian_packages))
    return path
