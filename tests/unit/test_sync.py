"""`kiosk sync` against real git repositories on disk (a bare repository over file://):
a valid commit is applied whole, an invalid one and hand edits are kept out, an
unreachable source keeps the old config, and twenty kiosks can sync at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.adapters.sync import Request, sync
from kiosk.cli import main
from kiosk.config.watch import ConfigWatcher
from kiosk.core.config_sync import KEEP_VERSIONS
from tests.conftest import ROOT
from tests.git_repo import ConfigRepo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def repo(tmp_path: Path) -> ConfigRepo:
    return ConfigRepo(tmp_path / "host", buildings=("iroquois", "baldwin"))


def run_sync(repo: ConfigRepo, tmp_path: Path, *extra: str, building: str = "iroquois"):
    where = ["--config", str(tmp_path / "config"), "--data", str(tmp_path / "data")]
    folders = ["--shared", "shared", "--path", f"buildings/{building}"]
    return main(["sync", "--source", repo.url, *folders, *where, *extra])


def name_in(config: Path) -> str:
    return next(
        line for line in (config / "kiosk.toml").read_text().splitlines() if "name.en" in line
    )


def test_a_valid_commit_is_applied_then_unchanged(repo, tmp_path, capsys) -> None:
    head = repo.commit("nothing new")
    assert run_sync(repo, tmp_path) == 0
    assert capsys.readouterr().out == f"applied {head}\n"
    config = tmp_path / "config"
    assert config.is_symlink() and "at iroquois" in name_in(config)
    assert (config / "tips.toml").read_text() == (repo.work / "shared/tips.toml").read_text()
    watcher = ConfigWatcher(config, data=tmp_path / "data")
    assert watcher.status.ok and watcher.version["commit"] == head
    assert run_sync(repo, tmp_path) == 0
    assert capsys.readouterr().out == f"unchanged {head}\n"


def test_an_invalid_commit_is_kept_out_naming_commit_file_entry_and_field(
    repo, tmp_path, capsys
) -> None:
    good = repo.commit("good")
    assert run_sync(repo, tmp_path) == 0
    repo.edit("shared/schedule.toml", "duration_minutes = 90", "duration_minutes = 0")
    bad = repo.commit("a typo")
    capsys.readouterr()
    assert run_sync(repo, tmp_path) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"kept {good}: commit {bad} is not valid: schedule.toml, [[group]]")
    assert "field `duration_minutes`" in out and "duration_minutes" in err
    watcher = ConfigWatcher(tmp_path / "config", data=tmp_path / "data")
    assert watcher.status.ok and watcher.version["commit"] == good


def test_hand_edits_are_kept_unless_forced(repo, tmp_path, capsys) -> None:
    assert run_sync(repo, tmp_path) == 0
    config = tmp_path / "config"
    hand = (config / "kiosk.toml").read_text().replace("idle_seconds = 60", "idle_seconds = 90")
    (config / "kiosk.toml").write_text(hand)
    repo.edit("shared/tips.toml", "Try a small amount first", "Try a small amount first,")
    new = repo.commit("tip wording")
    capsys.readouterr()
    assert run_sync(repo, tmp_path) == 1
    out = capsys.readouterr().out
    assert "kiosk.toml" in out and "by hand" in out and "--force" in out
    assert (config / "kiosk.toml").read_text() == hand, "the hand edit is still in use"
    assert run_sync(repo, tmp_path, "--force") == 0
    assert capsys.readouterr().out == f"applied {new}\n"
    assert "idle_seconds = 60" in (config / "kiosk.toml").read_text()
    kept = [p.read_text() for p in (tmp_path / "data/config-versions").glob("*/kiosk.toml")]
    assert hand in kept, "the hand-edited version is kept among the previous versions"


def test_an_unreachable_source_exits_2_and_keeps_the_config(repo, tmp_path, capsys) -> None:
    good = repo.commit("good")
    assert run_sync(repo, tmp_path) == 0
    repo.bare.rename(repo.bare.with_name("moved.git"))
    capsys.readouterr()
    assert run_sync(repo, tmp_path) == 2
    assert capsys.readouterr().out.startswith(f"kept {good}: the source cannot be reached")
    assert ConfigWatcher(tmp_path / "config", data=tmp_path / "data").version["commit"] == good


def test_the_first_sync_keeps_the_folder_it_replaces(repo, tmp_path) -> None:
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    (config / "notes.txt").write_text("staff notes")
    assert run_sync(repo, tmp_path) == 0
    [before] = (tmp_path / "data/config-versions").glob("*-before-sync")
    assert (before / "notes.txt").read_text() == "staff notes"
    assert config.is_symlink()


def test_the_ten_previous_versions_are_kept(repo, tmp_path) -> None:
    for n in range(KEEP_VERSIONS + 3):
        repo.write("shared/version.txt", str(n))
        repo.commit(f"change {n}")
        assert run_sync(repo, tmp_path) == 0
    versions = sorted(p.name for p in (tmp_path / "data/config-versions").iterdir())
    assert len(versions) == KEEP_VERSIONS + 1
    in_use = (tmp_path / "config").resolve().name
    assert in_use == versions[-1]
    assert (tmp_path / "config/version.txt").read_text() == str(KEEP_VERSIONS + 2)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda r: os.symlink("/etc/passwd", r.work / "shared/tips.toml.link"), "symbolic link"),
        (lambda r: r.write("shared/huge.ics", "x" * (11 * 2**20)), "over the 10 MB"),
    ],
    ids=["symlink", "huge-file"],
)
def test_a_commit_that_cannot_be_a_config_is_kept_out(repo, tmp_path, capsys, change, words):
    assert run_sync(repo, tmp_path) == 0
    change(repo)
    repo.commit("hostile")
    capsys.readouterr()
    assert run_sync(repo, tmp_path) == 1
    assert words in capsys.readouterr().out


def test_a_folder_outside_the_repository_is_refused(repo, tmp_path, capsys) -> None:
    code = main(["sync", "--source", repo.url, "--path", "../../etc", "--config",
                 str(tmp_path / "config"), "--data", str(tmp_path / "data")])  # fmt: skip
    assert code == 1 and "inside the repository" in capsys.readouterr().out


def test_a_running_kiosk_never_sees_half_a_sync(repo, tmp_path) -> None:
    """Two versions alternate; every config the watcher loads is one of them, whole: the
    kiosk.toml name and the tips always belong together."""
    assert run_sync(repo, tmp_path) == 0
    watcher = ConfigWatcher(tmp_path / "config", data=tmp_path / "data")
    seen: list[tuple[str, str]] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            watcher.reload()
            c = watcher.config
            seen.append((c.kiosk.name.get("en", "en"), c.tips.tip[0].id))

    thread = threading.Thread(target=watch)
    thread.start()
    try:
        for n in range(8):
            mark = "b" if n % 2 else "a"
            repo.edit("buildings/iroquois/kiosk.toml", "at iroquois", f"at iroquois {mark}")
            tips = (ROOT / "config/tips.toml").read_text()
            repo.write("shared/tips.toml", tips.replace('\nid = "', f'\nid = "{mark}-', 1))
            repo.commit(f"version {mark}")
            assert run_sync(repo, tmp_path, "--force") == 0
            repo.edit("buildings/iroquois/kiosk.toml", f"at iroquois {mark}", "at iroquois")
    finally:
        done.set()
        thread.join()
    pairs = {(name[-1], tip.split("-")[0]) for name, tip in seen if name.endswith((" a", " b"))}
    assert pairs and pairs <= {("a", "a"), ("b", "b")}, pairs


def test_twenty_kiosks_syncing_at_once_each_get_their_own_building(tmp_path) -> None:
    buildings = tuple(f"b{n:02d}" for n in range(20))
    repo = ConfigRepo(tmp_path / "host", buildings=buildings)
    head = repo.commit("the commit every kiosk should get")
    kiosks = []
    for name in buildings:
        command = [sys.executable, "-m", "kiosk", "sync", "--source", repo.url,
                   "--shared", "shared", "--path", f"buildings/{name}",
                   "--config", str(tmp_path / name / "config"),
                   "--data", str(tmp_path / name / "data")]  # fmt: skip
        kiosks.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True))
    for name, process in zip(buildings, kiosks, strict=True):
        out, _ = process.communicate(timeout=300)
        assert process.returncode == 0 and out == f"applied {head}\n", (name, out)
        assert name_in(tmp_path / name / "config").endswith(f'at {name}"')
        state = json.loads((tmp_path / name / "data/sync/state.json").read_text())
        assert state["commit"] == head


def test_the_direct_api_reports_busy_rather_than_waiting_forever(repo, tmp_path) -> None:
    import fcntl

    (tmp_path / "data/sync").mkdir(parents=True)
    fd = os.open(tmp_path / "data/sync/sync.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        from kiosk.adapters import sync as sync_module

        original = sync_module._locked

        def quick(path, wait_seconds=0.3):
            return original(path, wait_seconds)

        sync_module._locked = quick
        try:
            request = Request(repo.url, tmp_path / "config", tmp_path / "data", shared="shared")
            outcome = sync(request)
        finally:
            sync_module._locked = original
    finally:
        os.close(fd)
    assert outcome.code == 1 and "another kiosk sync" in outcome.line


def test_a_running_kiosk_picks_up_a_sync_at_its_next_poll(repo, tmp_path) -> None:
    assert run_sync(repo, tmp_path) == 0
    watcher = ConfigWatcher(
        tmp_path / "config", tmp_path / "data/last-good", data=tmp_path / "data"
    )
    assert not watcher.poll()
    repo.edit("buildings/iroquois/kiosk.toml", "at iroquois", "at the Iroquois")
    new = repo.commit("the building's full name")
    assert run_sync(repo, tmp_path) == 0
    assert watcher.poll(), "the switched link is a change"
    assert watcher.config.kiosk.name.get("en", "en").endswith("at the Iroquois")
    assert watcher.version["commit"] == new
    # a restart on a broken version shows the last good copy, though the link moved
    kiosk_toml = tmp_path / "config/kiosk.toml"
    kiosk_toml.write_text(kiosk_toml.read_text().replace("idle_seconds = 60", "idle_seconds = 1"))
    again = ConfigWatcher(tmp_path / "config", tmp_path / "data/last-good", data=tmp_path / "data")
    assert again.status.origin == "snapshot"
    assert again.config.kiosk.name.get("en", "en").endswith("at the Iroquois")


def test_endless_or_broken_sync_files_read_as_nothing_within_bounds(repo, tmp_path) -> None:
    from kiosk.adapters.sync import read_state
    from kiosk.config.watch import synced_version
    from kiosk.core.config_sync import MARKER

    assert run_sync(repo, tmp_path) == 0
    version = (tmp_path / "config").resolve()
    (version / MARKER).unlink()
    (version / MARKER).symlink_to("/dev/zero")  # endless
    assert synced_version(version) == {}
    state = tmp_path / "data/sync/state.json"
    state.write_bytes(b"{" * 300_000)  # huge and broken
    assert read_state(tmp_path / "data") == {}
    state.write_text("[1, 2]")
    assert read_state(tmp_path / "data") == {}


def test_one_shared_alert_reaches_every_building_and_a_bad_one_none(repo, tmp_path, capsys) -> None:
    """A provider puts one alerts.toml in shared/: each building's sync brings it; one
    with no `until` is applied nowhere, and the message names it."""
    repo.commit("start")
    homes = {b: tmp_path / b for b in ("iroquois", "baldwin")}
    for building, home in homes.items():
        assert run_sync(repo, home, building=building) == 0
    alert = (
        '[[alert]]\nid = "strong-batch"\nlevel = "urgent"\n'
        'text = "A very strong batch is going round."\n'
        "from = 2026-12-01T09:00:00\nuntil = 2026-12-04T09:00:00\n"
    )
    repo.write("shared/alerts.toml", alert)
    repo.commit("an alert for every building")
    for building, home in homes.items():
        assert run_sync(repo, home, building=building) == 0
        config = ConfigWatcher(home / "config", data=home / "data").config
        assert [a.id for a in config.alerts.alert] == ["strong-batch"], building
    repo.write("shared/alerts.toml", alert.replace("until = 2026-12-04T09:00:00\n", ""))
    repo.commit("forgot until")
    capsys.readouterr()
    for building, home in homes.items():
        assert run_sync(repo, home, building=building) == 1
        assert "alerts.toml" in capsys.readouterr().out
        config = ConfigWatcher(home / "config", data=home / "data").config
        assert [a.id for a in config.alerts.alert] == ["strong-batch"], "the last good stays"
