from pathlib import Path

from nlsh import paths


def test_nlsh_home_moves_everything(monkeypatch, tmp_path):
    monkeypatch.setenv("NLSH_HOME", str(tmp_path))
    assert paths.history_db() == tmp_path / "data" / "history.db"
    assert paths.config_file() == tmp_path / "config" / "config.toml"
    assert paths.cache_dir() == tmp_path / "cache"


def test_without_nlsh_home_the_platform_places_are_used(monkeypatch, tmp_path):
    monkeypatch.delenv("NLSH_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cachehome"))
    assert paths.data_dir() == tmp_path / "share" / "nlsh"
    assert paths.cache_dir() == tmp_path / "cachehome" / "nlsh"
    assert Path(paths.config_dir()).name == "nlsh"
