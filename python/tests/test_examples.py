"""The CleanRL-style example runs against the native vector env (a few updates)."""
import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("torch")

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ppo_cleanrl.py"


def test_cleanrl_ppo_example_runs_a_few_updates(capsys):
    spec = importlib.util.spec_from_file_location("ppo_cleanrl", EXAMPLE)
    ppo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ppo)
    args = ppo.parse_args(["--total-timesteps", "1536", "--num-envs", "4", "--num-steps", "128",
                           "--eval-episodes", "1", "--set", "load=0.8"])
    assert args.options == {"cpus": 2, "tasks": 300, "load": "0.8"}
    result = ppo.train(args)
    assert result["updates"] == 3
    assert result["episodes"] >= 1 and len(result["responses"]) == result["episodes"]
    assert all(r > 0 for r in result["responses"])
    assert result["eval_greedy"] > 0 and result["eval_random"] > 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in out if line.startswith("update ")] == ["1/3", "2/3", "3/3"]
    with pytest.raises(SystemExit):
        ppo.parse_args(["--set", "nonsense"])
