"""bench/ceiling.py: the recorded answers come back byte for byte, anything else is a JSON 404."""
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ceiling(tmp_path, monkeypatch):
    recording = tmp_path / "recording.jsonl"
    answers = {
        "/api/3/action/package_show?id=bench-000001": '{"success": true, "result": {"name": "bench-000001", "title": "Ünïcode"}}',
        "/api/3/action/package_list": '{"success": true, "result": ["bench-000001"]}',
    }
    recording.write_text("".join(json.dumps({"target": t, "body": b}) + "\n" for t, b in answers.items()))
    monkeypatch.setenv("CKAN_CEILING_RECORDING", str(recording))
    spec = importlib.util.spec_from_file_location("bench_ceiling", ROOT / "bench" / "ceiling.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, answers


def _get(app, path, query=""):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path, "QUERY_STRING": query}, start_response))
    assert seen["headers"]["Content-Length"] == str(len(body))
    return seen["status"], body


def test_a_recorded_request_gets_the_recorded_bytes(ceiling):
    module, answers = ceiling
    status, body = _get(module.application, "/api/3/action/package_show", "id=bench-000001")
    assert (status, body) == ("200 OK", answers["/api/3/action/package_show?id=bench-000001"].encode("utf-8"))
    assert _get(module.application, "/api/3/action/package_list")[1] == answers["/api/3/action/package_list"].encode()


def test_anything_else_is_a_json_404(ceiling):
    module, _ = ceiling
    status, body = _get(module.application, "/api/3/action/package_show", "id=bench-000002")
    assert status == "404 Not Found"
    assert json.loads(body)["success"] is False
