"""The single env: Gymnasium's own checker, exact spaces, options, seeding, masks."""
import warnings

import gymnasium as gym
import jpype
import numpy as np
import pytest
from gymnasium.spaces import Box, Dict, Discrete, Tuple
from gymnasium.spaces.utils import flatten
from gymnasium.utils.env_checker import check_env

import ghost_gym

IDS = ["ghost_gym/SeedCompat-v0", "ghost_gym/PickNext-v0", "ghost_gym/Placement-v0"]


@pytest.mark.parametrize("env_id", IDS)
def test_gymnasium_check_env_passes(env_id, small):
    env = gym.make(env_id, **small)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning from the checker is a failure here
        check_env(env.unwrapped, skip_render_check=True)
    env.close()


def test_pick_next_spaces_are_the_java_spaces_exactly():
    env = gym.make("ghost_gym/PickNext-v0", cpus=3, slots=5)
    obs_space = env.observation_space
    assert isinstance(obs_space, Dict)
    assert list(obs_space.spaces) == ["kind", "running", "slots", "cpus"]  # Java's order, not sorted
    assert obs_space["kind"] == Discrete(2)
    for key, size in [("running", 7), ("slots", 5 * 7), ("cpus", 3 * 4)]:
        b = obs_space[key]
        assert isinstance(b, Box) and b.dtype == np.float32 and b.shape == (size,)
        assert np.all(b.low == -50.0) and np.all(b.high == 50.0)
    assert env.action_space == Discrete(6)


def test_seed_compat_space_is_a_tuple_of_dicts_as_the_prototype():
    env = gym.make("ghost_gym/SeedCompat-v0", cpus=2, max_prev_events_stored=1, runqueue_cutoff_length=3)
    s = env.observation_space
    assert isinstance(s, Tuple) and len(s) == 2
    event = s[0]
    assert list(event.spaces) == ["callback_type", "task_metrics", "runqueue"]
    assert event["callback_type"] == Discrete(8)
    metrics = event["task_metrics"]
    assert list(metrics.spaces) == ["run_state", "cpu_num", "preempted", "utime", "stime", "guest_time", "vsize"]
    assert metrics["cpu_num"] == Discrete(2)
    assert metrics["utime"] == Box(0.0, 16.0, (1,), np.float32)
    assert isinstance(event["runqueue"], Tuple) and len(event["runqueue"]) == 3
    assert env.action_space == Discrete(3)


def test_java_space_strings_match_gymnasium_reprs():
    """Both sides print Gymnasium's repr, so equal strings mean equal spaces (bounds, shapes, order)."""
    Gym = jpype.JClass("dev.ghostgym.gym.Gym")
    for py_id, java_id in ghost_gym.JAVA_IDS.items():
        jenv = Gym.make(java_id, ghost_gym._convert.to_java_map({"cpus": 3}))
        env = gym.make(py_id, cpus=3)
        assert str(jenv.actionSpace()) == repr(env.action_space)
        assert str(jenv.observationSpace()) == repr(env.observation_space)


def test_observations_flatten_to_the_java_rows_and_lie_in_the_space(small):
    env = gym.make("ghost_gym/SeedCompat-v0", **small)
    obs, info = env.reset(seed=4)
    inner = env.unwrapped
    for _ in range(40):
        assert env.observation_space.contains(obs)
        np.testing.assert_array_equal(flatten(env.observation_space, obs).astype(np.float32), inner._s.obs[0])
        obs, _, term, trunc, info = env.step(int(np.argmax(info["action_mask"])))
        if term or trunc:
            obs, info = env.reset()


def test_options_reach_java_and_bad_ones_raise_the_java_message():
    env = gym.make("ghost_gym/Placement-v0", cpus=6, tasks=50, load=0.3)
    assert env.action_space == Discrete(6)
    assert env.unwrapped.options == {"cpus": 6, "tasks": 50, "load": 0.3}
    with pytest.raises(ValueError, match=r"^cpus: expected 1\.\.256, got 0$"):
        gym.make("ghost_gym/PickNext-v0", cpus=0)
    with pytest.raises(ghost_gym.JavaValueError) as e:
        gym.make("ghost_gym/PickNext-v0", slots=1)
    assert str(e.value) == "slots: expected >= 2, got 1"
    assert e.value.java_class == "java.lang.IllegalArgumentException"
    with pytest.raises(ValueError, match="reward"):
        gym.make("ghost_gym/PickNext-v0", reward="nonsense")
    with pytest.raises(ValueError, match="render_mode"):
        gym.make("ghost_gym/PickNext-v0", render_mode="human")


def _episode_trace(env, seed):
    obs, info = env.reset(seed=seed)
    while True:
        obs, r, term, trunc, info = env.step(int(np.argmax(info["action_mask"])))
        if term or trunc:
            return info["metrics"]


def test_seeded_episode_is_the_java_episode_with_that_seed(small):
    env = gym.make("ghost_gym/PickNext-v0", **small)
    py = _episode_trace(env, 17)
    Gym = jpype.JClass("dev.ghostgym.gym.Gym")
    opts = ghost_gym._convert.to_java_map(small)
    jenv = Gym.make("ghost/PickNext-v0", opts)
    r = jenv.reset(jpype.JLong(17), jpype.JClass("java.util.HashMap")())
    info = r.info()
    while True:
        mask = list(info.get("action_mask"))
        s = jenv.step(jpype.JInt(mask.index(True) if True in mask else 0))
        info = s.info()
        if s.done():
            break
    assert py["trace_sha256"] == str(info.get("metrics").get("trace_sha256"))
    assert py["tasks_completed"] == 200


def test_seeding_follows_gymnasium(small):
    env = gym.make("ghost_gym/PickNext-v0", **small)
    a1 = _episode_trace(env, 5)
    b1 = _episode_trace(env, 6)
    assert a1["trace_sha256"] != b1["trace_sha256"]
    assert _episode_trace(env, 5)["trace_sha256"] == a1["trace_sha256"]
    # unseeded resets continue np_random: the same first seed gives the same later episodes
    env.reset(seed=9)
    first = [env.unwrapped.np_random_seed]
    env.reset()
    x = env.unwrapped._s.obs[0].copy()
    env.reset(seed=9)
    env.reset()
    np.testing.assert_array_equal(x, env.unwrapped._s.obs[0])
    assert first == [9]
    with pytest.raises(ValueError):
        env.reset(seed=2 ** 64)


def test_action_mask_is_valid_and_masked_actions_fall_back_counted(small):
    env = gym.make("ghost_gym/PickNext-v0", slots=4, **small)
    obs, info = env.reset(seed=3)
    invalid = 0
    for t in range(150):
        mask = info["action_mask"]
        assert mask.dtype == np.bool_ and mask.shape == (5,)
        np.testing.assert_array_equal(mask, env.unwrapped.action_masks())
        queued = int(sum(obs["slots"][i * 7] for i in range(4)))  # feature 0 = a task is present
        np.testing.assert_array_equal(mask[:4], np.arange(4) < queued)
        assert mask[4] == (obs["kind"] == 1)  # "keep running" only at a slice expiry
        if t % 10 == 0 and not mask.all():
            action = int(np.flatnonzero(~mask)[0])
            invalid += 1
        else:
            action = int(np.flatnonzero(mask)[0])
        obs, _, term, trunc, info = env.step(action)
        assert info["invalid_actions"] == invalid
        if term or trunc:
            break
    assert invalid >= 3


def test_placement_mask_allows_exactly_the_enclave_cpus():
    env = gym.make("ghost_gym/Placement-v0", cpus=3, tasks=30)
    _, info = env.reset(seed=1)
    np.testing.assert_array_equal(info["action_mask"], [True, True, True])


def test_max_episode_steps_truncates(small):
    env = gym.make("ghost_gym/PickNext-v0", max_episode_steps=7, **small)
    _, info = env.reset(seed=1)
    for t in range(7):
        _, _, term, trunc, info = env.step(0)
    assert trunc and not term


def test_reset_options_override_workload_parameters_for_that_episode(small):
    env = gym.make("ghost_gym/PickNext-v0", **small)

    def episode(options):
        _, info = env.reset(seed=2, options=options)
        while True:
            _, _, term, trunc, info = env.step(int(np.argmax(info["action_mask"])))
            if term or trunc:
                return info["metrics"]

    base = episode(None)
    light = episode({"load": 0.2})
    assert light["trace_sha256"] != base["trace_sha256"]
    assert light["response_mean_us"] < base["response_mean_us"]  # less load, less waiting
    assert episode(None)["trace_sha256"] == base["trace_sha256"]  # per reset, not kept
