"""PPO with action masking on ghost-gym's native vector env, in one file, in the style of CleanRL's ppo.py.

    python python/examples/ppo_cleanrl.py --total-timesteps 200000 --num-envs 16
    python python/examples/ppo_cleanrl.py --total-timesteps 20480 --eval-episodes 4 --set workload=rocksdb-hinted \
        --set hint=true --set slots=4 --set 'scan_service=const(200us)' --set get_load=0.3 --set scan_load=0.55

The envs are ``gymnasium.make_vec("ghost_gym/PickNext-v0", num_envs=N)``: one JVM call steps all N.
Two things differ from CleanRL's Atari/classic-control script:

* Action masks: ``info["action_mask"]`` (num_envs x actions) comes with every step; invalid actions
  get a logit of -1e8, so they are never sampled and carry no gradient.
* Gymnasium 1.x's NEXT_STEP autoreset: the step after an env's episode ended ignores its action
  and returns the reset observation with reward 0. That step is not a transition; it is kept in
  the rollout (so shapes stay fixed) but masked out of every loss (``valid``), and the ended step
  does not bootstrap through it (``dones``).
"""
from __future__ import annotations

import argparse
import time

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
from torch.distributions.categorical import Categorical

import ghost_gym  # noqa: F401  registers ghost_gym/...


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--env-id", default="ghost_gym/PickNext-v0")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--total-timesteps", type=int, default=100_000)
    p.add_argument("--num-envs", type=int, default=8)
    p.add_argument("--num-steps", type=int, default=128, help="steps per env per rollout")
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument("--gamma", type=float, default=0.5, help="short: a pick's effect on waiting is soon over")
    p.add_argument("--gae-lambda", type=float, default=0.9)
    p.add_argument("--num-minibatches", type=int, default=4)
    p.add_argument("--update-epochs", type=int, default=8)
    p.add_argument("--clip-coef", type=float, default=0.2)
    p.add_argument("--ent-coef", type=float, default=0.0)
    p.add_argument("--vf-coef", type=float, default=0.5)
    p.add_argument("--max-grad-norm", type=float, default=0.5)
    p.add_argument("--cpus", type=int, default=2)
    p.add_argument("--tasks", type=int, default=300)
    p.add_argument("--eval-episodes", type=int, default=0,
                   help="after training, mean response of the greedy policy and of a random one on this many unseen episodes")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="another env option (workload=..., load=0.8, hint=true, slots=4, slice=30us)")
    args = p.parse_args(argv)
    args.options = {"cpus": args.cpus, "tasks": args.tasks}
    for kv in args.set:
        key, sep, value = kv.partition("=")
        if not sep:
            p.error(f"--set: expected KEY=VALUE, got {kv!r}")
        args.options[key] = value
    return args


def layer(i, o, std=np.sqrt(2)):
    lin = nn.Linear(i, o)
    nn.init.orthogonal_(lin.weight, std)
    nn.init.constant_(lin.bias, 0.0)
    return lin


class Agent(nn.Module):
    def __init__(self, obs_dim: int, n_actions: int):
        super().__init__()
        self.critic = nn.Sequential(layer(obs_dim, 64), nn.Tanh(), layer(64, 64), nn.Tanh(), layer(64, 1, 1.0))
        self.actor = nn.Sequential(layer(obs_dim, 64), nn.Tanh(), layer(64, 64), nn.Tanh(),
                                   layer(64, n_actions, 0.01))

    def value(self, x):
        return self.critic(x).squeeze(-1)

    def act(self, x, mask, action=None):
        logits = torch.where(mask, self.actor(x), torch.tensor(-1e8))
        dist = Categorical(logits=logits)
        if action is None:
            action = dist.sample()
        return action, dist.log_prob(action), dist.entropy(), self.value(x)


def train(args) -> dict:
    torch.manual_seed(args.seed)
    # A 64-unit MLP is far too small to share between threads: on a busy machine torch's thread pool
    # made each forward pass cost milliseconds instead of microseconds (measured: 13 ms vs 0.05 ms).
    torch.set_num_threads(1)
    envs = gym.make_vec(args.env_id, num_envs=args.num_envs, **args.options)
    assert envs.metadata["autoreset_mode"] == gym.vector.AutoresetMode.NEXT_STEP
    n, T = args.num_envs, args.num_steps
    obs_dim = envs.single_observation_space.shape[0]
    n_actions = int(envs.single_action_space.n)
    agent = Agent(obs_dim, n_actions)
    optimizer = torch.optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)

    obs = torch.zeros((T, n, obs_dim))
    masks = torch.zeros((T, n, n_actions), dtype=torch.bool)
    actions = torch.zeros((T, n), dtype=torch.long)
    logprobs, rewards, values = torch.zeros((T, n)), torch.zeros((T, n)), torch.zeros((T, n))
    dones, valid = torch.zeros((T, n)), torch.zeros((T, n))

    next_obs, info = envs.reset(seed=args.seed)
    next_obs, next_mask = torch.as_tensor(next_obs), torch.as_tensor(info["action_mask"])
    next_valid = torch.ones(n)  # False for an env whose next step is the autoreset
    responses, returns, ep_return = [], [], np.zeros(n)
    updates = max(1, args.total_timesteps // (n * T))
    start = time.time()
    for update in range(1, updates + 1):
        for t in range(T):
            obs[t], masks[t], valid[t] = next_obs, next_mask, next_valid
            with torch.no_grad():
                action, logprob, _, value = agent.act(next_obs, next_mask)
            actions[t], logprobs[t], values[t] = action, logprob, value
            o, r, term, trunc, info = envs.step(action.numpy())
            done = term | trunc
            rewards[t], dones[t] = torch.as_tensor(r, dtype=torch.float32), torch.as_tensor(done, dtype=torch.float32)
            ep_return += r * next_valid.numpy()
            for i in np.flatnonzero(done):
                returns.append(ep_return[i])
                ep_return[i] = 0.0
                if "metrics" in info and info["_metrics"][i]:
                    responses.append(float(info["metrics"]["response_mean_us"][i]))
            next_obs, next_mask = torch.as_tensor(o), torch.as_tensor(info["action_mask"])
            next_valid = torch.as_tensor(~done, dtype=torch.float32)

        with torch.no_grad():  # GAE; an ended step (dones) does not bootstrap through the autoreset step
            next_value = agent.value(next_obs)
            adv = torch.zeros((T, n))
            last = torch.zeros(n)
            for t in reversed(range(T)):
                nv = next_value if t == T - 1 else values[t + 1]
                nonterminal = 1.0 - dones[t]
                delta = rewards[t] + args.gamma * nv * nonterminal - values[t]
                last = delta + args.gamma * args.gae_lambda * nonterminal * last
                adv[t] = last
            ret = adv + values

        b = lambda x: x.reshape((T * n,) + x.shape[2:])  # noqa: E731
        b_obs, b_masks, b_actions, b_logprobs = b(obs), b(masks), b(actions), b(logprobs)
        b_adv, b_ret, b_valid = b(adv), b(ret), b(valid)
        idx = torch.nonzero(b_valid).squeeze(-1)  # the autoreset steps are not transitions
        for _ in range(args.update_epochs):
            for m in torch.tensor_split(idx[torch.randperm(len(idx))], args.num_minibatches):
                _, newlogprob, entropy, newvalue = agent.act(b_obs[m], b_masks[m], b_actions[m])
                ratio = (newlogprob - b_logprobs[m]).exp()
                a = b_adv[m]
                a = (a - a.mean()) / (a.std() + 1e-8)
                pg = torch.max(-a * ratio, -a * ratio.clamp(1 - args.clip_coef, 1 + args.clip_coef)).mean()
                v_loss = 0.5 * ((newvalue - b_ret[m]) ** 2).mean()
                loss = pg - args.ent_coef * entropy.mean() + args.vf_coef * v_loss
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(agent.parameters(), args.max_grad_norm)
                optimizer.step()
        sps = int(update * n * T / (time.time() - start))
        recent = responses[-20:]
        print(f"update {update}/{updates} steps {update * n * T} sps {sps} episodes {len(returns)} "
              f"mean response (last 20) {np.mean(recent) if recent else float('nan'):.1f} us", flush=True)
    envs.close()
    result = {"agent": agent, "updates": updates, "episodes": len(returns), "responses": responses}
    if args.eval_episodes > 0:
        seeds = range(10_000, 10_000 + args.eval_episodes)  # not the training seeds
        result["eval_random"] = evaluate(args, seeds, None)
        result["eval_greedy"] = evaluate(args, seeds, agent)
        print(f"mean response over {args.eval_episodes} unseen episodes: greedy policy {result['eval_greedy']:.1f} us, "
              f"random valid actions {result['eval_random']:.1f} us")
    return result


def evaluate(args, seeds, agent) -> float:
    """Mean response (us) of the greedy policy (``agent``) or of random valid actions (None)."""
    responses = []
    for seed in seeds:
        env = gym.make(args.env_id, **args.options)
        _, info = env.reset(seed=seed)
        flat = env.unwrapped._s.obs  # the flattened observation, as the vector env gives it
        rng = np.random.default_rng(seed)
        while True:
            mask = info["action_mask"]
            if agent is None:
                action = int(rng.choice(np.flatnonzero(mask)))
            else:
                with torch.no_grad():
                    logits = agent.actor(torch.as_tensor(flat[0].copy())).numpy()
                action = int(np.where(mask, logits, -np.inf).argmax())
            _, _, term, trunc, info = env.step(action)
            if term or trunc:
                responses.append(info["metrics"]["response_mean_us"])
                break
        env.close()
    return float(np.mean(responses))


if __name__ == "__main__":
    train(parse_args())
