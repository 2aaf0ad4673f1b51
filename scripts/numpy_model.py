#!/usr/bin/env python3
"""A plain vectorised numpy implementation of geosim's model (docs/MODEL.md),
for the speed comparison in docs/BENCHMARKS.md.

It runs the compiled flagship that `go test ./sim -run TestComparisonModel
-comparison-model FILE` writes: the same parameters, decisions, calendar,
shocks, outcomes and the same counter-based random numbers (SplitMix64 keys,
MODEL.md section 8), vectorised over runs (arrays of shape [runs, ...]) and
over the decisions of a month, with numpy's exp where geosim uses its
fastExp (so a decision whose uniform lies within ~1e-12 of its probability
may go the other way) and numpy's order of summation. With --compare it
checks its runs against geosim's runs.csv for the same seed.

    go test ./sim -run TestComparisonModel -comparison-model /tmp/flagship.json
    python3 scripts/numpy_model.py /tmp/flagship.json --runs 20000 [--compare runs.csv]

It prints the CPU seconds the runs took (time.process_time, the model only:
no loading, no output) and runs per CPU-second. Implemented: uniform and
triangular distributions, no burn-in, no posterior (what the flagship uses).
"""

import argparse
import csv
import json
import math
import sys
import time

import numpy as np

U64 = np.uint64
GOLDEN, M1, M2 = U64(0x9E3779B97F4A7C15), U64(0xBF58476D1CE4E5B9), U64(0x94D049BB133111EB)
S30, S27, S31, S12 = U64(30), U64(27), U64(31), U64(12)
# Action and actor field indices (sim/engine.go).
F_RAT, F_ECON, F_AFF, F_REC, F_STATUS, F_SEC, F_POW, F_RESP, F_MEM, F_LOSS = range(10)
A_SCALE, A_JOINT, A_COST, A_STATUS, A_SEC, A_CRED, A_TRADE, A_REBUFF = range(8)
N_ACTOR, N_ACTION = 10, 8
THRESH = 38.0


def mix(z):
    """SplitMix64's output function on uint64 arrays (wrapping arithmetic)."""
    z = z + GOLDEN
    z = (z ^ (z >> S30)) * M1
    z = (z ^ (z >> S27)) * M2
    return z ^ (z >> S31)


def unit(x):
    return ((x >> S12).astype(np.float64) + 0.5) / 2.0**52


def act(z, u):
    """The logit rule of MODEL.md 5.2.2: act iff z > 38, or |z| <= 38 and
    u(1 + e^-z) < 1."""
    with np.errstate(over="ignore"):
        e = np.exp(-np.clip(z, -THRESH - 1, THRESH + 1))
    return (z > THRESH) | ((np.abs(z) <= THRESH) & (u * (1 + e) < 1))


class Model:
    def __init__(self, path):
        d = json.load(open(path))
        if d["BurnIn"]:
            sys.exit("burn-in is not implemented")
        self.d = d
        self.n, self.K, self.T = d["N"], d["K"], d["Steps"]
        self.base = np.array(d["Base"])
        self.incentive = np.array(d["Incentive"])
        self.bcast = np.array(d["Broadcast"])
        n, K = self.n, self.K
        # Choice decisions: actor, i*n+j, options (padded with -1), keys.
        ch = d["Choice"]
        self.cO = max(len(c["Opts"]) for c in ch)
        self.ci = np.array([c["I"] for c in ch])
        self.cij = np.array([c["I"] * n + c["J"] for c in ch])
        self.cbc = np.array([c["I"] == c["J"] for c in ch])
        self.copt = np.array([c["Opts"] + [-1] * (self.cO - len(c["Opts"])) for c in ch])
        self.ckey = np.array([int(c["Key"]) for c in ch], dtype=U64)
        self.monthKeys = np.array([int(k) for k in d["MonthKeys"]], dtype=U64)

    def actor(self, P, i, f):
        return P[:, self.d["Actor0"] + i * N_ACTOR + f]

    def action(self, P, a, f):
        return P[:, self.d["Action0"] + a * N_ACTION + f]

    def sample(self, seed, runs):
        d = self.d
        R = len(runs)
        P = np.tile(self.base, (R, 1))
        sk = mix(np.array([seed], dtype=U64))[0]
        dkey = mix(sk ^ (runs // U64(d["Replicates"])))
        tiny = 1.0 / (1 << 54)
        for u in d["Uncertain"]:
            p = np.clip(unit(mix(dkey ^ U64(int(u["Key"])))), tiny, 1 - tiny)
            a = u["Args"]
            if u["Kind"] == "uniform":
                P[:, u["Slot"]] = a[0] + p * (a[1] - a[0])
            else:
                lo, mode, hi = a
                w = hi - lo
                P[:, u["Slot"]] = np.where(p < (mode - lo) / w, lo + np.sqrt(p * w * (mode - lo)), hi - np.sqrt((1 - p) * w * (hi - mode)))
        return P, mix(sk ^ runs)

    def derive(self, P):
        """The derived quantities of MODEL.md section 4, per run."""
        d, n, K = self.d, self.n, self.K
        D = {}
        mp = lambda f: P[:, d["Model0"] + f]
        D["recDecay"], D["tradeDecay"] = np.exp2(-1 / mp(1)), np.exp2(-1 / mp(3))
        D["spill"], D["eta"] = mp(2), mp(0)
        A = lambda f: np.stack([self.actor(P, i, f) for i in range(n)], axis=1)  # [R, n]
        Ac = lambda f: np.stack([self.action(P, a, f) for a in range(K)], axis=1)  # [R, K]
        D["decay"] = np.exp2(-1 / A(F_MEM))
        D["lambda"], D["econ"], D["aff"], D["rec"] = A(F_RAT), A(F_ECON), A(F_AFF) / 10, A(F_REC) / 10
        D["loss"], D["power"], D["kappa"] = A(F_LOSS), A(F_POW), A(F_RESP)
        R = len(P)
        pair = lambda s0: P[:, s0 : s0 + n * n].reshape(R, n, n)
        D["bstance"], D["tnorm"], D["stake"] = pair(d["Stance0"]), pair(d["Trade0"]), pair(d["Stake0"])
        g, jg = Ac(A_SCALE), Ac(A_JOINT)
        cred = Ac(A_CRED)
        D["x"], D["xHeld"] = g / 10, (g + jg) / 10
        D["sig"], D["sigHeld"] = cred * g, cred * (g + jg)
        D["trEff"], D["rebuff"] = Ac(A_TRADE), Ac(A_REBUFF)
        secW = A(F_SEC) / 10
        D["q"] = secW[:, :, None] * Ac(A_SEC)[:, None, :]  # [R, n, K]
        inc = np.where(self.incentive >= 0, P[:, np.maximum(self.incentive, 0)], 0.0).reshape(R, n, n, K)
        status = A(F_STATUS)
        weight = status[:, :, None] * D["power"][:, None, :]
        idx = np.arange(n)
        weight[:, idx, idx] = status
        D["base"] = weight[:, :, :, None] * Ac(A_STATUS)[:, None, None, :] + inc - Ac(A_COST)[:, None, None, :]
        return D

    def hazprob(self, P, rate, covs, extra, s, mem, phi, D):
        eta = extra.copy()
        for c in covs:
            eta = eta + P[:, c["Coef"]] * self.covariate(c, s, mem, phi, D)
        with np.errstate(over="ignore", invalid="ignore"):
            p = -np.expm1(np.exp(eta) * np.log1p(-np.minimum(rate, 1)))
        p = np.where(eta == 0, rate, p)
        return np.where(rate <= 0, 0.0, np.where(rate >= 1, 1.0, p))

    def covariate(self, c, s, mem, phi, D):
        a, b, n = c["A"], c["B"], self.n
        k = c["Kind"]
        if k == "s":
            return s[:, a, b]
        if k == "r":
            return (s[:, a, b] + s[:, b, a]) / 2
        if k == "m":
            return mem[:, a, b]
        if k == "d":
            return D["tnorm"][:, a, b] * phi[:, a, b]
        others = [j for j in range(n) if j != a]
        if k == "t":
            return np.max(np.where(s[:, a, others] < 0, -D["power"][:, others] * s[:, a, others], 0.0), axis=1)
        return np.sum(D["tnorm"][:, a, others] * np.maximum(0, 1 - phi[:, a, others]), axis=1)

    def value(self, kind, a, b, s, phi, D):
        if kind == "s":
            return s[:, a, b]
        if kind == "d":
            return D["tnorm"][:, a, b] * phi[:, a, b]
        return (s[:, a, b] + s[:, b, a]) / 2

    def run(self, seed, r0, R):
        d, n, K, T = self.d, self.n, self.K, self.T
        runs = np.arange(r0, r0 + R, dtype=U64)
        P, rkey = self.sample(seed, runs)
        shocks = d["Shocks"]
        step = np.full((len(shocks), R), -1)
        for k, sh in enumerate(shocks):
            if sh["Covs"]:
                continue
            if sh["Month"] >= 0:
                mo = P[:, sh["Month"]]
                step[k] = np.where(mo < T, np.floor(mo), -1).astype(int)
            else:
                h = P[:, sh["Hazard"]]
                u = unit(mix(rkey ^ U64(int(sh["Key"]))))
                with np.errstate(divide="ignore", invalid="ignore"):
                    wait = np.floor(np.log(u) / np.log1p(-np.minimum(h, 0.999999999)))
                step[k] = np.where(h >= 1, 0, np.where((h > 0) & (wait < T), wait, -1)).astype(int)
        D = self.derive(P)
        phi = np.ones((R, n, n))
        s = D["bstance"].copy()
        mem = np.zeros((R, n, n))
        sigs = d["Signals"]
        for t in range(-d["PreSteps"], 0):
            recv = np.zeros((R, n, n))  # recv[:, to, from]
            for sg in sigs:
                if sg["Step"] == t:
                    recv[:, sg["To"], sg["From"]] += P[:, sg["Cred"]] * P[:, sg["Scale"]]
            s, mem = self.update(P, D, s, mem, phi, recv)
        O, E, S = d["Outcomes"], d["Events"], d["Series"]
        track = np.zeros((R, len(O)))
        for k, o in enumerate(O):
            if o["Stat"] == "n":
                track[:, k] = np.inf
            elif o["Stat"] == "x":
                track[:, k] = -np.inf
            if o["Kind"] != "c" and o["Stat"] == "a" and o["AtK"] == 0:
                track[:, k] = self.value(o["Kind"], o["A"], o["B"], s, phi, D)
        evstep = np.full((R, len(E)), -1)
        series = np.zeros((R, len(S), T + 1))
        for k, sr in enumerate(S):
            series[:, k, 0] = self.value(sr["Kind"], sr["A"], sr["B"], s, phi, D)
        rows = np.arange(R)
        for t in range(T):
            mk = mix(rkey ^ self.monthKeys[t])
            # 5.1 shocks: state-dependent timing, then effects
            for k, sh in enumerate(shocks):
                if sh["Covs"]:
                    p = self.hazprob(P, P[:, sh["Hazard"]], sh["Covs"], np.zeros(R), s, mem, phi, D)
                    u = unit(mix(mk ^ U64(int(sh["Key"]))))
                    fire = (step[k] < 0) & ((p >= 1) | ((p > 0) & (u < p)))
                    step[k][fire] = t
            fired = np.zeros(R, bool)
            for k, sh in enumerate(shocks):
                m = step[k] == t
                if not m.any() or not sh["Effects"]:
                    continue
                fired |= m
                for e in sh["Effects"]:
                    v, tg = P[m, e["Value"]], e["Target"]
                    if e["Op"] == "=":
                        P[m, tg] = v
                    elif e["Op"] == "*":
                        P[m, tg] *= v
                    else:
                        P[m, tg] += v
                    P[m, tg] = np.clip(P[m, tg], e["Min"], e["Max"])
            if fired.any():
                sub = self.derive(P[fired])
                for key in D:
                    D[key][fired] = sub[key]
            # 5.6 calendar
            calU = np.zeros((R, n * n * K))
            calH = np.zeros((R, n * n * K))
            for k in d["CalAt"][t] or []:
                oc = d["Calendar"][k]
                v = P[:, oc["Value"]]
                for idx in oc["Targets"]:
                    if oc["Hazard"]:
                        calH[:, idx] += np.log(v)
                    else:
                        calU[:, idx] += v
            did, held = self.decide(P, D, s, mem, phi, calU, calH, mk)
            # 5.3 signals
            recv = np.zeros((R, n, n))
            for sg in sigs:
                if sg["Step"] == t:
                    recv[:, sg["To"], sg["From"]] += P[:, sg["Cred"]] * P[:, sg["Scale"]]
            for k, sh in enumerate(shocks):
                m = step[k] == t
                for sg in sh["Signals"] or []:
                    recv[m, sg["To"], sg["From"]] += P[m, sg["Cred"]] * P[m, sg["Scale"]]
            sent = np.sum(did * np.where(held, D["sigHeld"][:, None, None, :], D["sig"][:, None, None, :]), axis=3)  # [R, i, j]
            idx = np.arange(n)
            bsum = sent[:, idx, idx]  # broadcast intensity of each sender
            sent[:, idx, idx] = 0
            recv += np.swapaxes(sent, 1, 2)
            w = np.where(s < 0, 1.0, D["spill"][:, None, None])  # [R, i, k]
            w[:, idx, idx] = 0
            recv += np.swapaxes(w * bsum[:, :, None], 1, 2)
            # 5.4 update, 5.5 trade
            s, mem = self.update(P, D, s, mem, phi, recv)
            phi = self.trade(D, phi, did, held)
            # records
            k1 = t + 1
            for k, o in enumerate(O):
                if o["Kind"] == "c":
                    if o["From"] <= t <= o["By"]:
                        a = o["Action"]
                        if self.bcast[a]:
                            track[:, k] += did[:, o["Actor"], o["Actor"], a]
                        else:
                            js = [j for j in range(n) if j != o["Actor"] and (o["Target"] < 0 or o["Target"] == j)]
                            track[:, k] += did[:, o["Actor"], js, a].sum(axis=1)
                    continue
                v = self.value(o["Kind"], o["A"], o["B"], s, phi, D)
                st = o["Stat"]
                if st == "n":
                    track[:, k] = np.minimum(track[:, k], v)
                elif st == "x":
                    track[:, k] = np.maximum(track[:, k], v)
                elif st == "m":
                    track[:, k] += v
                elif (st == "a" and o["AtK"] == k1) or (st == "e" and k1 == T):
                    track[:, k] = v
            for k, e in enumerate(E):
                if not (e["From"] <= t <= e["By"]):
                    continue
                a = e["Action"]
                if e["Kind"] == "j":
                    hit = held[:, e["A"], e["B"], a]
                elif e["Kind"] == "a":
                    if self.bcast[a]:
                        hit = did[:, e["A"], e["A"], a]
                    else:
                        js = [j for j in range(n) if j != e["A"] and (e["Target"] < 0 or e["Target"] == j)]
                        hit = did[:, e["A"], js, a].any(axis=1)
                elif e["Kind"] == "t":
                    v = s[:, e["A"], e["B"]] if e["Directed"] else (s[:, e["A"], e["B"]] + s[:, e["B"], e["A"]]) / 2
                    hit = v < e["Level"] if e["Below"] else v > e["Level"]
                else:
                    hit = step[e["Shock"]] == t
                evstep[:, k] = np.where((evstep[:, k] < 0) & hit, t, evstep[:, k])
            for k, sr in enumerate(S):
                series[:, k, k1] = self.value(sr["Kind"], sr["A"], sr["B"], s, phi, D)
        for k, o in enumerate(O):
            if o["Kind"] != "c" and o["Stat"] == "m":
                track[:, k] /= T
        return track, evstep, step, series

    def decide(self, P, D, s, mem, phi, calU, calH, mk):
        d, n, K = self.d, self.n, self.K
        R = len(P)
        idx = np.arange(n)
        # 5.2.1 cooperation coefficients and threats
        coef = (D["econ"][:, :, None] * D["tnorm"] * (phi + D["loss"][:, :, None] * np.maximum(0, 1 - phi)) + D["stake"]
                + D["aff"][:, :, None] * s + D["rec"][:, :, None] * mem)
        threat = np.where(s < 0, -D["power"][:, None, :] * s, 0.0)
        adv = s < 0
        wts = np.where(adv, 1.0, D["spill"][:, None, None])
        wts[:, idx, idx] = 0
        wsum = wts.sum(axis=2)
        cmean = np.where(wsum > 0, (wts * coef).sum(axis=2) / np.where(wsum > 0, wsum, 1), 0.0)
        tmax = np.where(adv, threat, 0.0)
        tmax[:, idx, idx] = 0
        tmax = tmax.max(axis=2)
        cf = coef.reshape(R, n * n)[:, self.cij]
        th = threat.reshape(R, n * n)[:, self.cij]
        cf = np.where(self.cbc, cmean[:, self.ci], cf)
        th = np.where(self.cbc, tmax[:, self.ci], th)
        # 5.2.2 choice channels: every decision of the month at once
        opt = np.maximum(self.copt, 0)
        bi = self.cij[:, None] * K + opt
        U = (cf[:, :, None] * D["x"][:, opt] + th[:, :, None] * D["q"][:, self.ci[:, None], opt]
             + D["base"].reshape(R, -1)[:, bi] + calU[:, bi])
        U = np.where(self.copt >= 0, U, -np.inf)
        bk = np.argmax(U, axis=2)
        best = np.take_along_axis(U, bk[:, :, None], axis=2)[:, :, 0]
        z = D["lambda"][:, self.ci] * best
        u = unit(mix(mk[:, None] ^ self.ckey[None, :]))
        a = act(z, u)
        did = np.zeros((R, n, n, K), bool)
        held = np.zeros((R, n, n, K), bool)
        chosen = self.copt[np.arange(len(self.ci))[None, :], bk]
        rr, dd = np.nonzero(a)
        did[rr, self.ci[dd], self.cij[dd] % n, chosen[rr, dd]] = True
        # 5.2.4 hazards
        for h in d["Hazards"]:
            ij = h["I"] * n + h["J"]
            ps = [self.hazprob(P, P[:, rate], covs, calH[:, ij * K + a_], s, mem, phi, D)
                  for a_, rate, covs in zip(h["Opts"], h["Rates"], h["Covs"])]
            pk = np.argmax(np.stack(ps, axis=1), axis=1)
            best = np.stack(ps, axis=1)[np.arange(R), pk]
            u = unit(mix(mk ^ U64(int(h["Key"]))))
            take = (best > 0) & ((best >= 1) | (u < best))
            did[take, h["I"], h["J"], np.array(h["Opts"])[pk[take]]] = True
        # 5.2.3 joint actions
        base = D["base"].reshape(R, -1)
        for jd in d["Joints"]:
            i, j = jd["I"], jd["J"]
            ij, ji = i * n + j, j * n + i
            opts = jd["Opts"]
            Hi = np.stack([coef[:, i, j] * D["xHeld"][:, a_] + threat[:, i, j] * D["q"][:, i, a_] + base[:, ij * K + a_] + calU[:, ij * K + a_] for a_ in opts], axis=1)
            Hj = np.stack([coef[:, j, i] * D["xHeld"][:, a_] + threat[:, j, i] * D["q"][:, j, a_] + base[:, ji * K + a_] + calU[:, ji * K + a_] for a_ in opts], axis=1)
            k = np.argmax(Hi + Hj, axis=1)
            hi, hj = Hi[np.arange(R), k], Hj[np.arange(R), k]
            aa = np.array(opts)[k]
            li, lj = D["lambda"][:, i], D["lambda"][:, j]
            qi = 1 / (1 + np.exp(np.clip(-li * hi, -700, 700)))
            qj = 1 / (1 + np.exp(np.clip(-lj * hj, -700, 700)))
            rb = D["rebuff"][np.arange(R), aa]
            ukey = lambda key: unit(mix(mk ^ U64(int(key))))
            pi = act(li * (qj * hi - (1 - qj) * rb), ukey(jd["ProposeI"]))
            pj = act(lj * (qi * hj - (1 - qi) * rb), ukey(jd["ProposeJ"]))
            h = (pi & pj) | (pi & ~pj & act(lj * hj, ukey(jd["AcceptJ"]))) | (pj & ~pi & act(li * hi, ukey(jd["AcceptI"])))
            r = np.arange(R)
            did[r, i, j, aa] |= pi | h
            did[r, j, i, aa] |= pj | h
            held[r, i, j, aa] |= h
            held[r, j, i, aa] |= h
        return did, held

    def update(self, P, D, s, mem, phi, recv):
        n = self.n
        tn = D["tnorm"]
        kl = D["kappa"][:, :, None] * (1 + D["eta"][:, None, None] * np.maximum(0, tn * phi - np.swapaxes(tn * phi, 1, 2)))
        b = D["bstance"]
        s = b + D["decay"][:, :, None] * (s - b) + kl * recv
        idx = np.arange(n)
        s[:, idx, idx] = 0
        rd = D["recDecay"][:, None, None]
        mem = rd * mem + (1 - rd) * recv
        for l in self.d["Links"]:
            v = recv[:, l["To"], l["From"]]
            ok = (v * l["Sign"] >= 0) & (v != 0)
            s[:, l["Holder"], l["Obj"]] += np.where(ok, P[:, l["Weight"]] * D["kappa"][:, l["Holder"]] * v, 0.0)
        return np.clip(s, -10, 10), mem

    def trade(self, D, phi, did, held):
        n, K = self.n, self.K
        phi = 1 + D["tradeDecay"][:, None, None] * (phi - 1)
        eff = D["trEff"]
        iu, ju = np.triu_indices(n, 1)
        f = phi[:, iu, ju]
        for a in range(K):
            if not (eff[:, a] != 0).any():
                continue
            e = 1 + eff[:, a][:, None]
            hl = held[:, iu, ju, a]
            f = f * np.where(did[:, iu, ju, a] & ~hl, e, 1.0)
            f = f * np.where(did[:, ju, iu, a] & ~hl, e, 1.0)
        for a in range(K):
            if (eff[:, a] != 0).any():
                f = f * np.where(held[:, iu, ju, a], 1 + eff[:, a][:, None], 1.0)
        f = np.clip(f, 0, 3)
        phi[:, iu, ju] = f
        phi[:, ju, iu] = f
        return phi


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("--runs", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--compare", help="geosim's runs.csv for the same seed and runs")
    args = ap.parse_args()
    m = Model(args.model)
    seed = args.seed if args.seed is not None else int(m.d["Seed"])
    outs, evs = [], []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for r0 in range(0, args.runs, args.batch):
        tr, ev, _, _ = m.run(seed, r0, min(args.batch, args.runs - r0))
        outs.append(tr)
        evs.append(ev)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    outs, evs = np.concatenate(outs), np.concatenate(evs)
    print(f"{args.runs} runs: {cpu:.2f} CPU s, {wall:.2f} s wall: {args.runs / cpu:.0f} runs per CPU-second")
    names = [o["Name"] for o in m.d["Outcomes"]]
    for k, name in enumerate(names):
        print(f"  {name:24s} mean {outs[:, k].mean():9.4f}")
    for k, e in enumerate(m.d["Events"]):
        print(f"  {e['Name']:24s} P    {np.mean(evs[:, k] >= 0):9.4f}")
    if args.compare:
        rows = list(csv.DictReader(open(args.compare)))
        n = min(len(rows), args.runs)
        same = 0
        worst = 0.0
        for r in range(n):
            ok = True
            for k, name in enumerate(names):
                g = float(rows[r][name])
                diff = abs(g - outs[r, k])
                # runs.csv rounds outcomes to 6 significant digits
                if diff > 1e-5 * max(1.0, abs(g)):
                    ok = False
                worst = max(worst, diff if ok else 0)
            for k, e in enumerate(m.d["Events"]):
                if (rows[r][e["Name"]] == "1") != (evs[r, k] >= 0):
                    ok = False
            same += ok
        print(f"compared with {args.compare}: {same} of {n} runs agree on every outcome (to runs.csv's 6 digits) and event")


if __name__ == "__main__":
    main()
