"""Stable-Baselines3: the VecEnv adapter's contract, and MaskablePPO learning something real."""
import gymnasium as gym
import numpy as np
import pytest

sb3_contrib = pytest.importorskip("sb3_contrib")
torch = pytest.importorskip("torch")

from sb3_contrib import MaskablePPO  # noqa: E402
from sb3_contrib.common.maskable.utils import get_action_masks, is_masking_supported  # noqa: E402
from stable_baselines3.common.vec_env import VecMonitor  # noqa: E402

from ghost_gym.sb3 import GhostVecEnv  # noqa: E402

# Two request classes the agent can tell apart by their hint: 10us GETs and 200us scans. Serving a
# waiting GET before a scan cuts the mean response (shortest job first); FIFO and random order
# cannot, as their mean waiting time is the same (the conservation law for non-size-based orders).
HINTED = dict(workload="rocksdb-hinted", hint=True, cpus=2, tasks=300, slots=4, scan_service="const(200us)",
              get_load=0.3, scan_load=0.55)


def test_vec_env_follows_sb3s_contract():
    env = GhostVecEnv("ghost_gym/PickNext-v0", num_envs=3, cpus=2, tasks=40, max_episode_steps=25)
    assert env.num_envs == 3 and env.action_space == gym.spaces.Discrete(17)
    assert is_masking_supported(env)
    env.seed(4)
    obs = env.reset()
    assert obs.shape == (3, env.observation_space.shape[0]) and obs.dtype == np.float32
    masks = get_action_masks(env)
    assert masks.shape == (3, 17) and masks.dtype == np.bool_
    seen_end = truncations = 0
    for t in range(80):
        obs, rewards, dones, infos = env.step(np.argmax(masks, axis=1))
        assert rewards.dtype == np.float32 and dones.dtype == np.bool_ and len(infos) == 3
        for i in np.flatnonzero(dones):
            seen_end += 1
            final = infos[i]["terminal_observation"]
            assert final.shape == obs[i].shape and env.observation_space.contains(final)
            if infos[i]["TimeLimit.truncated"]:  # cut by max_episode_steps: the run has no final metrics
                truncations += 1
                assert "metrics" not in infos[i]
            else:
                assert infos[i]["metrics"]["tasks_completed"] == 40
        masks = get_action_masks(env)
        # every env has a valid action, except one just reset into an episode that needs no decision
        assert (masks.any(axis=1) | dones).all()
    assert seen_end >= 3 and truncations >= 1
    with pytest.raises(AttributeError):
        env.env_method("render")
    env.close()


def test_seeded_resets_are_reproducible():
    a = GhostVecEnv("ghost_gym/Placement-v0", num_envs=2, cpus=2, tasks=40)
    b = GhostVecEnv("ghost_gym/Placement-v0", num_envs=2, cpus=2, tasks=40)
    a.seed(11)
    b.seed(11)
    a.reset()
    b.reset()
    for _ in range(50):
        ra = a.step(np.zeros(2, int))
        rb = b.step(np.zeros(2, int))
        np.testing.assert_array_equal(ra[0], rb[0])
        np.testing.assert_array_equal(ra[1], rb[1])


def _mean_response(pick, seeds) -> float:
    responses = []
    for seed in seeds:
        env = gym.make("ghost_gym/PickNext-v0", **HINTED)
        _, info = env.reset(seed=seed)
        flat = env.unwrapped._s.obs  # the flattened observation, as the VecEnv gives it
        rng = np.random.default_rng(seed)
        while True:
            _, _, term, trunc, info = env.step(pick(flat[0].copy(), info["action_mask"], rng))
            if term or trunc:
                responses.append(info["metrics"]["response_mean_us"])
                break
    return float(np.mean(responses))


def test_maskable_ppo_beats_a_random_policy_on_mean_response():
    torch.set_num_threads(1)
    env = VecMonitor(GhostVecEnv("ghost_gym/PickNext-v0", num_envs=8, **HINTED))
    model = MaskablePPO("MlpPolicy", env, n_steps=128, batch_size=256, n_epochs=8, gamma=0.5, gae_lambda=0.9,
                        learning_rate=1e-3, seed=1)
    model.learn(8192)
    seeds = range(100, 104)  # episodes never seen in training (training seeds come from seed=1)
    random = _mean_response(lambda obs, mask, rng: int(rng.choice(np.flatnonzero(mask))), seeds)
    learned = _mean_response(lambda obs, mask, rng: int(model.predict(obs, action_masks=mask,
                                                                      deterministic=True)[0]), seeds)
    print(f"mean response: random {random:.0f} us, MaskablePPO {learned:.0f} us")
    assert learned < 0.85 * random  # measured: 1191 us against 1576 us (0.76)


def test_maskable_ppo_trains_on_a_single_gymnasium_env_through_action_masks():
    """sb3-contrib wraps a gym.make env in DummyVecEnv and finds action_masks() under the wrappers."""
    torch.set_num_threads(1)
    env = gym.make("ghost_gym/PickNext-v0", cpus=2, tasks=100, slots=4)
    model = MaskablePPO("MultiInputPolicy", env, n_steps=64, batch_size=64, n_epochs=1, seed=2)
    model.learn(128)
    obs, info = env.reset(seed=5)
    for _ in range(30):
        action, _ = model.predict(obs, action_masks=info["action_mask"])
        assert info["action_mask"][int(action)]  # a masked policy never picks an invalid action
        obs, _, term, trunc, info = env.step(int(action))
        if term or trunc:
            obs, info = env.reset()
    assert info["invalid_actions"] == 0
