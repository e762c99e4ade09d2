"""Runs the S3 store that TensorBoard-X's tests use, to try s3:// logdirs on one machine.

    bazel run //tools/seaweedfs:serve -- [--upload=DIR --to=s3://BUCKET/PREFIX] [--port=8333] [--dir=DIR]

Starts SeaweedFS with its S3 gateway on 127.0.0.1:PORT, uploads DIR if asked, prints the variables
that point TensorBoard-X at it, and serves until Ctrl+C. What it stores stays in --dir.
"""

import argparse
import os
import signal
import sys

from tools.seaweedfs import seaweedfs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8333, help="the S3 gateway's port on 127.0.0.1")
    parser.add_argument("--dir", default="/tmp/tensorboard_x_s3", help="where the store keeps its data")
    parser.add_argument("--upload", help="a local directory to upload, e.g. a logdir")
    parser.add_argument("--to", help="where to upload it: s3://BUCKET[/PREFIX]")
    args = parser.parse_args(argv)
    if bool(args.upload) != bool(args.to) or (args.to and not args.to.startswith("s3://")):
        parser.error("--upload=DIR and --to=s3://BUCKET[/PREFIX] go together")
    cwd = os.environ.get("BUILD_WORKING_DIRECTORY", "")
    upload = args.upload and os.path.join(cwd, os.path.expanduser(args.upload))
    if upload and not os.path.isdir(upload):
        parser.error("--upload: %s is not a directory" % upload)
    data_dir = os.path.join(cwd, os.path.expanduser(args.dir))
    os.makedirs(data_dir, exist_ok=True)

    with seaweedfs.running(data_dir, s3_port=args.port) as store:
        if upload:
            bucket, _, prefix = args.to[len("s3://") :].partition("/")
            store.upload(upload, bucket, prefix.strip("/"))
            print("Uploaded %s to %s" % (upload, args.to))
        print("S3 store on %s, data in %s. Point TensorBoard-X at it with:" % (store.endpoint_url, data_dir))
        print(store.exports(), flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    return 0


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    sys.exit(main())
