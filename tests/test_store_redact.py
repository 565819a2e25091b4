import json

import pytest

from nlsh.store.redact import MARK, redact, redact_json, redact_value

# Secrets are assembled at run time so this file itself does not look like a leaked credential.
GITHUB = "ghp_" + "a1B2c3D4e5" * 4
AWS_ID = "AKIA" + "IOSFODNN7EXAMPLE"
SLACK = "xoxb-" + "1234567890-abcdefghij"
OPENAI = "sk-" + "proj-" + "Zx9" * 10
JWT = "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0." + "dozjgNryP4J3jVmNHl0w5N"


@pytest.mark.parametrize(
    "text, secret",
    [
        ("curl -H 'Authorization: Bearer abc.def.ghi' https://api.example.com", "abc.def.ghi"),
        ('curl -H "authorization: Basic dXNlcjpwYXNz" x', "dXNlcjpwYXNz"),
        ("curl -H 'X-Api-Key: 5up3rk3y' https://x", "5up3rk3y"),
        ("deploy --password=hunter2 --user bob", "hunter2"),
        ("deploy --password hunter2", "hunter2"),
        ("deploy --db-password 'correct horse battery' now", "correct horse"),
        ("tool --api-key=k-123456 run", "k-123456"),
        ("mysql -u root -pS3cretPw mydb", "S3cretPw"),
        ("mysqldump -u root -p S3cretPw mydb", "S3cretPw"),
        ("sshpass -p 0penSesame ssh host", "0penSesame"),
        ("psql postgres://bob:hunter2@db.example.com/app", "hunter2"),
        ("git clone https://user:tok3n@github.com/x/y", "tok3n"),
        ("curl -u alice:pw123 https://x", "pw123"),
        (f"export GITHUB_TOKEN={GITHUB}", GITHUB),
        (f"echo {GITHUB}", GITHUB),
        (f"aws configure set aws_access_key_id {AWS_ID}", AWS_ID),
        ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY aws s3 ls", "wJalrXUtnFEMI"),
        (f"post to slack with {SLACK}", SLACK),
        (f"OPENAI_API_KEY={OPENAI} python app.py", OPENAI),
        (f"token {JWT}", JWT),
        ("DB_PASSWORD=abc123 ./run", "abc123"),
        ('config: {"password": "p@ss"}', "p@ss"),
        ("my password is hunter2, use it", "hunter2"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "MIIEow"),
    ],
)
def test_secrets_are_cut_out(text, secret):
    cleaned = redact(text)
    assert secret not in cleaned
    assert MARK in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "git log --author=bob --since=yesterday",
        "ls -la ~/projects",
        "python train.py --max-tokens=512",
        "grep bypass=1 config.ini",
        "echo $PWD and OLDPWD=/home/x",
        "mysql -h db -P 3306 -u root",
        "find . -name '*.py' -newer setup.py",
        "reset the password for bob",
    ],
)
def test_ordinary_commands_are_left_alone(text):
    assert redact(text) == text


def test_context_around_a_secret_survives():
    assert redact("deploy --password=hunter2 --user bob") == f"deploy --password={MARK} --user bob"
    assert redact("psql postgres://bob:pw@db/app") == f"psql postgres://bob:{MARK}@db/app"


def test_redaction_is_idempotent():
    once = redact("mysql -pX db; curl -H 'Authorization: Bearer t0k3n' u; DB_PASSWORD=x")
    assert redact(once) == once


def test_values_under_secret_keys_are_hidden_whatever_their_shape():
    args = {"command": "mysql -pS3cret db", "api_key": "k", "headers": {"Authorization": "Bearer zz"},
            "nested": [{"password": 1234}], "max_tokens": 5}
    cleaned = redact_value(args)
    assert cleaned == {
        "command": f"mysql -p{MARK} db",
        "api_key": MARK,
        "headers": {"Authorization": MARK},
        "nested": [{"password": MARK}],
        "max_tokens": 5,
    }


def test_plan_json_stays_valid_json():
    plan = json.dumps({"steps": [{"tool": "shell", "args": {"command": "curl -u a:b https://x"}}]})
    cleaned = redact_json(plan)
    assert json.loads(cleaned)["steps"][0]["args"]["command"] == f"curl -u a:{MARK} https://x"
    untouched = json.dumps({"steps": [{"tool": "list_files", "args": {"path": "."}}]})
    assert redact_json(untouched) == untouched  # byte for byte: nothing to hide, nothing rewritten


def test_text_that_is_not_json_is_redacted_as_text():
    assert redact_json("not json --password=x") == f"not json --password={MARK}"
