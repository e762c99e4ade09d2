"""The documented set-up files hold what TensorBoard-X answers: probe paths, flags, a valid haproxy config."""

import os
import re
import shlex
import shutil
import subprocess

from absl.testing import absltest
import yaml

from greeter_plugin import plugin_testing
from greeter_tensorboard import health
from greeter_tensorboard import server_testing

HERE = os.path.dirname(os.path.abspath(__file__))
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read()


def flag_value(args, flag):
    """The value of the one `--flag=value` in `args`."""
    values = [arg.split("=", 1)[1] for arg in args if arg.startswith(flag + "=")]
    if len(values) != 1:
        raise AssertionError("expected one %s= in %s" % (flag, args))
    return values[0]


def exec_start(port):
    """The systemd unit's command for the replica on `port`, as a list."""
    (command,) = re.findall(r"^ExecStart=(.*)$", read("tensorboard-x@.service"), re.MULTILINE)
    return shlex.split(command.replace("%i", str(port)))


def assert_flags_parse(test, args):
    """TensorBoard-X's own parser accepts `args` (--version_tb then stops before serving)."""
    result = subprocess.run([server_testing.BINARY, *args, "--version_tb"], capture_output=True, text=True, timeout=120)
    test.assertEqual(result.returncode, 0, result.stderr)


class KubernetesTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        documents = {doc["kind"]: doc for doc in yaml.safe_load_all(read("kubernetes.yaml"))}
        cls.deployment, cls.service = documents["Deployment"], documents["Service"]
        (cls.container,) = cls.deployment["spec"]["template"]["spec"]["containers"]

    def test_the_probes_ask_the_health_routes_on_the_served_port(self):
        probes = {name: self.container[name]["httpGet"] for name in ("readinessProbe", "livenessProbe", "startupProbe")}
        self.assertEqual(probes["readinessProbe"]["path"], health.READY_PATH)
        self.assertEqual(probes["livenessProbe"]["path"], health.LIVE_PATH)
        self.assertEqual(probes["startupProbe"]["path"], health.LIVE_PATH)
        (port,) = self.container["ports"]
        self.assertIn("--port=%d" % port["containerPort"], self.container["args"])
        for probe in probes.values():
            self.assertEqual(probe["port"], port["name"])
        self.assertEqual(self.service["spec"]["ports"][0]["targetPort"], port["name"])
        self.assertEqual(self.service["spec"]["selector"], self.deployment["spec"]["selector"]["matchLabels"])

    def test_the_probe_paths_answer_200_without_the_token_on_a_real_server(self):
        logdir = self.create_tempdir().full_path
        plugin_testing.write_greetings(os.path.join(logdir, "ada"), "guests", [(0, "Ada")])
        url = self.enterContext(server_testing.serve(logdir, "--auth=token"))
        for name in ("readinessProbe", "livenessProbe", "startupProbe"):
            path = self.container[name]["httpGet"]["path"]
            with self.subTest(probe=name):
                server_testing.wait_for(lambda: server_testing.get(url + path.lstrip("/"))[0] == 200)
        self.assertEqual(server_testing.get(url + "data/runs")[0], 401)

    def test_the_arguments_are_tensorboard_x_flags_and_drain_within_the_grace_period(self):
        assert_flags_parse(self, self.container["args"])
        grace = self.deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        (timeout,) = [float(arg.split("=")[1]) for arg in self.container["args"] if arg.startswith("--shutdown_timeout=")]
        self.assertLess(timeout + self.container["lifecycle"]["preStop"]["sleep"]["seconds"], grace)

    def test_each_pod_keeps_its_copy_of_the_bucket_on_a_writable_volume_of_its_own(self):
        cache_dir = flag_value(self.container["args"], "--s3_cache_dir")
        (mount,) = [
            m for m in self.container["volumeMounts"] if (cache_dir + "/").startswith(m["mountPath"].rstrip("/") + "/")
        ]
        self.assertFalse(mount.get("readOnly", False))
        (volume,) = [v for v in self.deployment["spec"]["template"]["spec"]["volumes"] if v["name"] == mount["name"]]
        # Per pod: one process uses a cache directory at a time; another copies into a temporary one.
        self.assertTrue({"emptyDir", "ephemeral"} & set(volume), volume)


class SystemdTest(absltest.TestCase):
    def test_exec_start_holds_tensorboard_x_flags(self):
        command = exec_start(6006)
        self.assertEqual(os.path.basename(command[0]), "tensorboard-x")
        assert_flags_parse(self, command[1:])

    def test_each_replica_keeps_its_copy_of_the_bucket_in_its_own_cache_directory(self):
        (cache_directory,) = re.findall(r"^CacheDirectory=(.*)$", read("tensorboard-x@.service"), re.MULTILINE)
        for port in (6006, 6007):
            with self.subTest(port=port):
                # systemd makes /var/cache/<CacheDirectory>, writable by the unit's dynamic user.
                expected = "/var/cache/" + cache_directory.replace("%i", str(port))
                self.assertEqual(flag_value(exec_start(port)[1:], "--s3_cache_dir"), expected)
        self.assertNotEqual(flag_value(exec_start(6006), "--s3_cache_dir"), flag_value(exec_start(6007), "--s3_cache_dir"))


class HaproxyTest(absltest.TestCase):
    def test_the_config_is_valid_and_checks_the_ready_route(self):
        config = read("haproxy.cfg")
        self.assertIn("http-check send meth GET uri %s\n" % health.READY_PATH, config)
        env = dict(os.environ, TB_LISTEN="127.0.0.1:8080", TB1="127.0.0.1:6006", TB2="127.0.0.1:6007", TB3="127.0.0.1:6008")
        result = subprocess.run(
            [HAPROXY, "-c", "-f", os.path.join(HERE, "haproxy.cfg")], env=env, capture_output=True, text=True, timeout=60
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    absltest.main()
