"""The native vector env against Gymnasium's vector-env contract, with Gymnasium's own SyncVectorEnv
of single envs as the reference where both are defined."""
import gymnasium as gym
import numpy as np
import pytest
from gymnasium.spaces import Box, Discrete, MultiDiscrete
from gymnasium.spaces.utils import flatten
from gymnasium.vector import AutoresetMode

import ghost_gym
from ghost_gym.vector import GhostVectorEnv

OPTS = {"cpus": 2, "tasks": 60}


def first_allowed(masks):
    return np.argmax(masks, axis=1)


def test_make_vec_uses_the_native_vector_env_with_gymnasium_spaces():
    envs = gym.make_vec("ghost_gym/PickNext-v0", num_envs=3, **OPTS)
    assert isinstance(envs, GhostVectorEnv)
    assert envs.num_envs == 3
    assert envs.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
    single = gym.make("ghost_gym/PickNext-v0", **OPTS)
    dim = gym.spaces.flatdim(single.observation_space)
    assert envs.single_observation_space.shape == (dim,) and envs.single_observation_space.dtype == np.float32
    assert envs.single_action_space == Discrete(17)
    assert envs.action_space == MultiDiscrete([17, 17, 17])
    assert envs.observation_space == Box(np.tile(envs.single_observation_space.low, (3, 1)),
                                         np.tile(envs.single_observation_space.high, (3, 1)), dtype=np.float32)
    assert envs.single_dict_observation_space == single.observation_space
    obs, infos = envs.reset(seed=1)
    assert obs.shape == (3, dim) and obs.dtype == np.float32 and envs.observation_space.contains(obs)
    assert infos["action_mask"].shape == (3, 17) and infos["_action_mask"].all()
    envs.close()


def test_matches_gymnasiums_sync_vector_env_of_single_envs_until_each_first_episode_ends():
    """Same seeds: same observations (flattened), rewards, flags, masks; autoreset steps alike."""
    n = 3
    native = GhostVectorEnv("ghost/PickNext-v0", n, **OPTS)
    ref = gym.vector.SyncVectorEnv([lambda: gym.make("ghost_gym/PickNext-v0", **OPTS) for _ in range(n)])
    space = ref.single_observation_space
    obs, info = native.reset(seed=10)
    robs, rinfo = ref.reset(seed=10)
    for i in range(n):
        np.testing.assert_array_equal(obs[i], flatten(space, {k: v[i] for k, v in robs.items()}))
    np.testing.assert_array_equal(info["action_mask"], rinfo["action_mask"])
    ended = np.zeros(n, bool)
    autoreset_seen = 0
    for t in range(400):
        actions = first_allowed(info["action_mask"])
        obs, rew, term, trunc, info = native.step(actions)
        robs, rrew, rterm, rtrunc, rinfo = ref.step(actions)
        for i in range(n):
            if ended[i]:
                continue  # after an autoreset the episodes' seeds differ (Java vs np_random); structure below
            np.testing.assert_array_equal(obs[i], flatten(space, {k: v[i] for k, v in robs.items()}))
            assert rew[i] == rrew[i] and term[i] == rterm[i] and trunc[i] == rtrunc[i]
            np.testing.assert_array_equal(info["action_mask"][i], rinfo["action_mask"][i])
            if term[i]:
                assert info["_metrics"][i] and rinfo["_metrics"][i]
                assert info["metrics"]["trace_sha256"][i] == rinfo["metrics"]["trace_sha256"][i]
                ended[i] = True
                # the next step is NEXT_STEP's autoreset in both: reward 0, not done
                obs2, rew2, term2, trunc2, info2 = native.step(first_allowed(info["action_mask"]))
                robs2, rrew2, rterm2, rtrunc2, rinfo2 = ref.step(first_allowed(info["action_mask"]))
                assert rew2[i] == 0 == rrew2[i] and not term2[i] and not rterm2[i] and not trunc2[i]
                autoreset_seen += 1
                obs, info = obs2, info2
                break
        if ended.all():
            break
    assert ended.all() and autoreset_seen == n


def test_seeding_is_deterministic_and_env_i_gets_seed_plus_i():
    a = GhostVectorEnv("ghost/Placement-v0", 4, **OPTS)
    b = GhostVectorEnv("ghost/Placement-v0", 4, **OPTS)
    one = gym.make("ghost_gym/Placement-v0", **OPTS)
    oa, _ = a.reset(seed=7)
    ob, _ = b.reset(seed=[7, 8, 9, 10])
    np.testing.assert_array_equal(oa, ob)
    o2, _ = one.reset(seed=9)
    np.testing.assert_array_equal(oa[2], flatten(one.observation_space, o2))
    for _ in range(300):  # well past the first episodes: autoresets continue each env's generator alike
        act = np.arange(4) % 2
        ra = a.step(act)
        rb = b.step(act)
        for x, y in zip(ra[:4], rb[:4]):
            np.testing.assert_array_equal(x, y)
    def rewards(seed):
        e = GhostVectorEnv("ghost/Placement-v0", 4, **OPTS)
        e.reset(seed=seed)
        return np.array([e.step(np.zeros(4, int))[1] for _ in range(100)])
    np.testing.assert_array_equal(rewards(7), rewards(7))
    assert not np.array_equal(rewards(7), rewards(8))
    with pytest.raises(ValueError, match=r"seed \+ i"):
        a.reset(seed=[1, 5, 6, 7])


def test_same_step_mode_resets_at_once_and_reports_the_final_observation():
    envs = gym.make_vec("ghost_gym/PickNext-v0", num_envs=2, autoreset_mode=AutoresetMode.SAME_STEP, **OPTS)
    assert envs.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
    obs, info = envs.reset(seed=3)
    ends = 0
    for _ in range(500):
        obs, rew, term, trunc, info = envs.step(first_allowed(info["action_mask"]))
        for i in np.flatnonzero(term | trunc):
            ends += 1
            assert info["_final_obs"][i] and info["_final_info"][i]
            final = info["final_obs"][i]
            assert final.shape == obs[i].shape and not np.array_equal(final, obs[i])
            assert info["final_info"]["metrics"]["tasks_completed"][i] == 60
            assert info["action_mask"][i].any()  # the mask is the new episode's first decision's
        if ends >= 3:
            break
    assert ends >= 3


def test_copy_false_returns_the_shared_buffers_without_copying():
    envs = GhostVectorEnv("ghost/PickNext-v0", 2, copy=False, **OPTS)
    obs, info = envs.reset(seed=1)
    obs2, rew, term, trunc, info2 = envs.step(first_allowed(info["action_mask"]))
    assert np.shares_memory(obs, obs2) and not obs2.flags.owndata
    copied = GhostVectorEnv("ghost/PickNext-v0", 2, **OPTS)
    c1, _ = copied.reset(seed=1)
    c2 = copied.step(np.zeros(2, int))[0]
    assert not np.shares_memory(c1, c2)


def test_full_info_gives_each_envs_java_info_every_step():
    envs = GhostVectorEnv("ghost/PickNext-v0", 2, full_info=True, **OPTS)
    _, info = envs.reset(seed=1)
    _, _, _, _, info = envs.step(first_allowed(info["action_mask"]))
    assert set(info["decision"]) <= {"PICK", "SLICE"} and info["_decision"].all()
    assert info["now_ns"].dtype == np.int64 and (info["now_ns"] > 0).all()


def test_unflatten_rebuilds_the_dict_observation():
    envs = GhostVectorEnv("ghost/SeedCompat-v0", 2, **OPTS)
    single = gym.make("ghost_gym/SeedCompat-v0", **OPTS)
    obs, _ = envs.reset(seed=2)
    o, _ = single.reset(seed=2)
    value = envs.unflatten(obs[0])
    assert single.observation_space.contains(value)
    np.testing.assert_array_equal(flatten(single.observation_space, value), flatten(single.observation_space, o))


def test_async_workers_give_the_same_results_as_sync():
    a = GhostVectorEnv("ghost/PickNext-v0", 4, workers=2, **OPTS)
    s = GhostVectorEnv("ghost/PickNext-v0", 4, **OPTS)
    oa, ia = a.reset(seed=5)
    os_, is_ = s.reset(seed=5)
    for _ in range(100):
        ra = a.step(first_allowed(ia["action_mask"]))
        rs = s.step(first_allowed(is_["action_mask"]))
        for x, y in zip(ra[:4], rs[:4]):
            np.testing.assert_array_equal(x, y)
        ia, is_ = ra[4], rs[4]
    a.close()
    s.close()


def test_step_errors_surface_as_python_exceptions():
    envs = GhostVectorEnv("ghost/PickNext-v0", 2, **OPTS)
    with pytest.raises(ghost_gym.JavaStateError, match=r"^Cannot call step\(\) on a vector env before resetAll\(\)$"):
        envs.step(np.zeros(2, int))
    envs.reset(seed=1)
    with pytest.raises(ValueError, match=r"actions: expected shape \(2,\)"):
        envs.step(np.zeros(3, int))
    with pytest.raises(ValueError, match="sub-env 0 failed in creation: cpus: expected 1..256, got 300"):
        GhostVectorEnv("ghost/PickNext-v0", 2, cpus=300)


def test_gymnasiums_vector_wrappers_work_on_top():
    """RecordEpisodeStatistics relies on the autoreset mode: its returns must equal our own sums."""
    envs = gym.wrappers.vector.RecordEpisodeStatistics(GhostVectorEnv("ghost/PickNext-v0", 3, **OPTS))
    envs = gym.wrappers.vector.NormalizeObservation(envs)
    _, info = envs.reset(seed=8)
    sums, skip, checked = np.zeros(3), np.zeros(3, bool), 0
    for _ in range(600):
        _, rew, term, trunc, info = envs.step(first_allowed(info["action_mask"]))
        sums += np.where(skip, 0.0, rew)  # the autoreset step (reward 0) belongs to no episode
        done = term | trunc
        for i in np.flatnonzero(done):
            assert info["_episode"][i]
            assert info["episode"]["r"][i] == pytest.approx(sums[i])
            sums[i] = 0.0
            checked += 1
        skip = done
        if checked >= 3:
            break
    assert checked >= 3
