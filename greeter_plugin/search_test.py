"""Tests of searching the greetings' text."""

from absl.testing import absltest

from greeter_plugin import search


def greeting(step, text):
    return {"wall_time": 1000.0 + step, "step": step, "text": text}


GREETINGS = {
    "vip": {"ada": [greeting(0, "Hello, Grace!")]},
    "guests": {
        "bob": [greeting(1, "Hello, GRACE!"), greeting(2, "Hello, Ada!")],
        "ada": [greeting(0, "Hello, Ἀριστοτέλης!"), greeting(3, "Hello, grace hopper!")],
    },
}


class FindTest(absltest.TestCase):
    def test_finds_text_ignoring_case_in_tag_run_and_step_order(self):
        found = search.find(GREETINGS, "grace")
        self.assertEqual(found["total"], 3)
        self.assertEqual(
            [(m["tag"], m["run"], m["step"], m["text"]) for m in found["matches"]],
            [
                ("guests", "ada", 3, "Hello, grace hopper!"),
                ("guests", "bob", 1, "Hello, GRACE!"),
                ("vip", "ada", 0, "Hello, Grace!"),
            ],
        )
        self.assertEqual(found["matches"][0]["wall_time"], 1003.0)

    def test_limits_the_matches_but_counts_them_all(self):
        found = search.find(GREETINGS, "hello", limit=2)
        self.assertEqual(found["total"], 5)
        self.assertLen(found["matches"], 2)

    def test_unicode_and_regular_expression_syntax_are_plain_text(self):
        self.assertEqual(search.find(GREETINGS, "ἀριστοτέλης")["total"], 1)
        self.assertEqual(search.find(GREETINGS, "(a+)+$")["total"], 0)
        self.assertEqual(search.find(GREETINGS, ".")["total"], 0)


if __name__ == "__main__":
    absltest.main()
