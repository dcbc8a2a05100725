#!/usr/bin/env python3
"""Reference PyTorch trainer of csclir-bench: BERT / XLM-R cross-encoders.

Python and PyTorch only (no `transformers`). Subcommands:

  train CONFIG.json   the trainer contract (see tasks/trainer/contract.ts): reads the
                      token records the harness wrote, fine-tunes a cross-encoder with
                      binary cross-entropy, AdamW and linear warm-up, writes model.onnx
                      (dynamic batch and sequence axes), config.json, tokenizer.json,
                      pytorch_model.bin, parity.json and provenance.json into "out".
  init CONFIG.json OUT --seed N
                      writes a randomly initialised checkpoint of a Hugging Face
                      config.json (BERT or XLM-R layout) as OUT/pytorch_model.bin.
  export BASE OUT.onnx
                      exports a base model with its head (a new one when the
                      checkpoint has none) as ONNX, as `train` does.
  bench BASE --steps N --batch B --length L --threads T
                      times training steps and forward passes of a base model on
                      random tokens; prints one JSON line.

User errors print one line ("error: ...") and exit 2.
"""

import hashlib
from array import array
import json
import math
import os
import shutil
import sys
import time

try:
    import torch
    from torch import nn
except ImportError as e:  # the harness checks this first; kept for direct use
    print(f"error: {sys.executable} cannot import torch ({e}); install python3-torch", file=sys.stderr)
    sys.exit(2)

CONTRACT = 1
OPSET = 14
# Pairs whose PyTorch logits go into parity.json, for the harness's ONNX Runtime check.
PARITY_PAIRS = 8
BERT_TYPES = {"bert"}
ROBERTA_TYPES = {"roberta", "xlm-roberta", "camembert"}


class UserError(Exception):
    """Bad input: one line, exit 2."""


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise UserError(f"{path}: file not found")
    except json.JSONDecodeError as e:
        raise UserError(f"{path}: invalid JSON ({e})")


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")


class Arch:
    """The fields of a Hugging Face config.json the encoder needs."""

    def __init__(self, cfg, path):
        kind = cfg.get("model_type")
        if kind not in BERT_TYPES | ROBERTA_TYPES:
            raise UserError(f"{path}: model_type {kind!r} is not a BERT or XLM-R family model")
        self.kind = kind
        try:
            self.vocab = int(cfg["vocab_size"])
            self.hidden = int(cfg["hidden_size"])
            self.layers = int(cfg["num_hidden_layers"])
            self.heads = int(cfg["num_attention_heads"])
            self.ffn = int(cfg["intermediate_size"])
            self.positions = int(cfg["max_position_embeddings"])
        except (KeyError, TypeError, ValueError) as e:
            raise UserError(f"{path}: missing or bad field {e}")
        if self.hidden % self.heads:
            raise UserError(f"{path}: hidden_size {self.hidden} is not a multiple of num_attention_heads")
        self.types = int(cfg.get("type_vocab_size", 2))
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.pad = int(cfg.get("pad_token_id", 1 if kind in ROBERTA_TYPES else 0))
        self.act = cfg.get("hidden_act", "gelu")
        if self.act not in ("gelu", "gelu_new", "relu"):
            raise UserError(f"{path}: hidden_act {self.act!r} is not gelu, gelu_new or relu")
        self.dropout = float(cfg.get("hidden_dropout_prob", 0.1))
        self.attn_dropout = float(cfg.get("attention_probs_dropout_prob", 0.1))
        self.init_range = float(cfg.get("initializer_range", 0.02))
        # RoBERTa numbers positions from pad + 1; BERT from 0.
        self.offset_positions = kind in ROBERTA_TYPES
        # The model takes token_type_ids only when there is more than one type.
        self.uses_types = self.types > 1
        self.prefix = "bert." if kind in BERT_TYPES else "roberta."


def activation(name):
    if name == "gelu":
        return nn.GELU()
    if name == "gelu_new":
        return nn.GELU(approximate="tanh")
    return nn.ReLU()


class Embeddings(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.word_embeddings = nn.Embedding(a.vocab, a.hidden)
        self.position_embeddings = nn.Embedding(a.positions, a.hidden)
        self.token_type_embeddings = nn.Embedding(a.types, a.hidden)
        self.LayerNorm = nn.LayerNorm(a.hidden, eps=a.eps)
        self.dropout = nn.Dropout(a.dropout)
        self.arch = a

    def forward(self, ids, mask, types):
        a = self.arch
        if a.offset_positions:
            # As transformers: positions count non-pad tokens, from pad + 1.
            keep = ids.ne(a.pad).long()
            positions = torch.cumsum(keep, dim=1) * keep + a.pad
        else:
            positions = torch.cumsum(torch.ones_like(ids), dim=1) - 1
        x = self.word_embeddings(ids) + self.position_embeddings(positions)
        x = x + self.token_type_embeddings(types if types is not None else torch.zeros_like(ids))
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.query = nn.Linear(a.hidden, a.hidden)
        self.key = nn.Linear(a.hidden, a.hidden)
        self.value = nn.Linear(a.hidden, a.hidden)
        self.dropout = nn.Dropout(a.attn_dropout)
        self.heads = a.heads
        self.head_dim = a.hidden // a.heads

    def split(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, bias):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + bias
        ctx = torch.matmul(self.dropout(scores.softmax(dim=-1)), v)
        b, _, n, _ = ctx.shape
        return ctx.transpose(1, 2).reshape(b, n, self.heads * self.head_dim)


class DenseNorm(nn.Module):
    """transformers' SelfOutput / Output: dense, dropout, residual, LayerNorm."""

    def __init__(self, inp, a):
        super().__init__()
        self.dense = nn.Linear(inp, a.hidden)
        self.LayerNorm = nn.LayerNorm(a.hidden, eps=a.eps)
        self.dropout = nn.Dropout(a.dropout)

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.add_module("self", SelfAttention(a))  # transformers' parameter names
        self.output = DenseNorm(a.hidden, a)

    def forward(self, x, bias):
        return self.output(getattr(self, "self")(x, bias), x)


class Intermediate(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.dense = nn.Linear(a.hidden, a.ffn)
        self.act = activation(a.act)

    def forward(self, x):
        return self.act(self.dense(x))


class Layer(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.attention = Attention(a)
        self.intermediate = Intermediate(a)
        self.output = DenseNorm(a.ffn, a)

    def forward(self, x, bias):
        h = self.attention(x, bias)
        return self.output(self.intermediate(h), h)


class Encoder(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.layer = nn.ModuleList([Layer(a) for _ in range(a.layers)])


class Pooler(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.dense = nn.Linear(a.hidden, a.hidden)


class CrossEncoder(nn.Module):
    """Encoder, then on the first token: dense + tanh (the pooler), dropout, one logit."""

    def __init__(self, a):
        super().__init__()
        self.embeddings = Embeddings(a)
        self.encoder = Encoder(a)
        self.pooler = Pooler(a)
        self.dropout = nn.Dropout(a.dropout)
        self.classifier = nn.Linear(a.hidden, 1)
        self.arch = a

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        x = self.embeddings(input_ids, attention_mask, token_type_ids)
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.encoder.layer:
            x = layer(x, bias)
        pooled = torch.tanh(self.pooler.dense(x[:, 0]))
        return self.classifier(self.dropout(pooled))


def init_weights(model, a, seed):
    """transformers' initialisation: normal(0, initializer_range), LayerNorm 1 and 0."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if "LayerNorm" in name:
                p.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name.endswith("bias"):
                p.zero_()
            else:
                p.copy_(torch.randn(p.shape, generator=gen) * a.init_range)


def checkpoint_file(base):
    for name in ("model.safetensors", "pytorch_model.bin"):
        path = os.path.join(base, name)
        if os.path.isfile(path):
            if name.endswith(".safetensors"):
                try:
                    import safetensors.torch  # noqa: F401
                except ImportError:
                    continue
            return path
    raise UserError(
        f"{base}: no pytorch_model.bin (or model.safetensors with the safetensors library importable)"
    )


def read_state(path):
    if path.endswith(".safetensors"):
        import safetensors.torch

        return safetensors.torch.load_file(path)
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except TypeError:  # torch without weights_only
        return torch.load(path, map_location="cpu")
    except Exception as e:
        raise UserError(f"{path}: not a PyTorch checkpoint ({e})")


def load_base(base, a, seed):
    """The encoder from a checkpoint in Hugging Face layout; the logit layer from it when present."""
    path = checkpoint_file(base)
    state = {}
    for k, v in read_state(path).items():
        for prefix in ("bert.", "roberta.", "model."):
            if k.startswith(prefix):
                k = k[len(prefix):]
        k = k.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias")
        state[k] = v
    # XLM-R sequence classifiers keep their head as classifier.dense / classifier.out_proj.
    if "classifier.out_proj.weight" in state:
        state["pooler.dense.weight"] = state.pop("classifier.dense.weight")
        state["pooler.dense.bias"] = state.pop("classifier.dense.bias")
        state["classifier.weight"] = state.pop("classifier.out_proj.weight")
        state["classifier.bias"] = state.pop("classifier.out_proj.bias")
    model = CrossEncoder(a)
    init_weights(model, a, seed)
    own = model.state_dict()
    missing = [k for k in own if k not in state and not k.startswith(("pooler.", "classifier."))]
    if missing:
        raise UserError(f"{path}: missing weights {', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}")
    loaded = {}
    for k, v in state.items():
        if k in own:
            if tuple(v.shape) != tuple(own[k].shape):
                if k.startswith("classifier."):
                    continue  # a head with another number of labels: start a new one
                raise UserError(f"{path}: {k} has shape {list(v.shape)}, config.json says {list(own[k].shape)}")
            loaded[k] = v.float()
    model.load_state_dict(loaded, strict=False)
    return model, path


def weights_sha256(model):
    h = hashlib.sha256()
    for name, t in sorted(model.state_dict().items()):
        h.update(name.encode())
        h.update(t.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


class TokenRecords:
    """Token records in flat arrays: 4 bytes an id, so tens of millions of pairs fit in memory."""

    def __init__(self):
        self.ids = array("i")
        self.types = array("b")
        self.starts = array("q", [0])
        self.labels = array("b")

    def __len__(self):
        return len(self.labels)

    def pair(self, i):
        a, b = self.starts[i], self.starts[i + 1]
        return self.ids[a:b].tolist(), self.types[a:b].tolist()


def read_tokens(path, max_length, uses_types):
    records = TokenRecords()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                i, t, y = r["ids"], r["types"], r["label"]
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise UserError(f"{path}:{n}: expected {{ids, types, label}} ({e})")
            if len(i) > max_length or len(i) != len(t) or y not in (0, 1):
                raise UserError(f"{path}:{n}: ids and types of equal length <= {max_length} and a 0/1 label expected")
            records.ids.extend(i)
            records.types.extend(t if uses_types else [0] * len(t))
            records.starts.append(len(records.ids))
            records.labels.append(y)
    if not len(records):
        raise UserError(f"{path}: no token records")
    return records


def batch_of(records, idx, pad, device):
    pairs = [records.pair(i) for i in idx]
    return pad_batch([p[0] for p in pairs], [p[1] for p in pairs], pad, device)


def pad_batch(ids, types, pad, device):
    n = max(len(i) for i in ids)
    input_ids = torch.full((len(ids), n), pad, dtype=torch.long)
    mask = torch.zeros((len(ids), n), dtype=torch.long)
    type_ids = torch.zeros((len(ids), n), dtype=torch.long)
    for r, (i, t) in enumerate(zip(ids, types)):
        input_ids[r, : len(i)] = torch.tensor(i, dtype=torch.long)
        mask[r, : len(i)] = 1
        type_ids[r, : len(t)] = torch.tensor(t, dtype=torch.long)
    return input_ids.to(device), mask.to(device), type_ids.to(device)


def setup(device, seed, threads):
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise UserError(f"device {device!r}: torch {torch.__version__} sees no CUDA device")
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)
    elif device == "cpu":
        torch.use_deterministic_algorithms(True)
        torch.set_num_threads(threads)
    else:
        raise UserError(f"device {device!r}: expected cpu or cuda[:N]")
    torch.manual_seed(seed)


def optimizer(model, lr, weight_decay):
    # As sentence-transformers: no decay on biases and LayerNorm weights.
    decay, plain = [], []
    for name, p in model.named_parameters():
        (plain if name.endswith("bias") or "LayerNorm" in name else decay).append(p)
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": weight_decay}, {"params": plain, "weight_decay": 0.0}], lr=lr
    )


def warmup_linear(warmup, steps):
    def factor(step):
        if step < warmup:
            return step / max(1, warmup)
        return max(0.0, (steps - step) / max(1, steps - warmup))

    return factor


def export_onnx(model, a, path, device):
    model.eval()
    ids = torch.full((2, 8), 5 % a.vocab, dtype=torch.long, device=device)
    mask = torch.ones_like(ids)
    args = (ids, mask, torch.zeros_like(ids)) if a.uses_types else (ids, mask)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if a.uses_types else [])
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["logits"] = {0: "batch"}
    torch.onnx.export(
        model, args, path, input_names=names, output_names=["logits"], dynamic_axes=axes,
        opset_version=OPSET, do_constant_folding=True,
    )


def number(cfg, key, kind, low):
    v = cfg.get(key)
    if not isinstance(v, (int, float)) or isinstance(v, bool) or (kind is int and v != int(v)) or v < low:
        raise UserError(f"trainer config: {key} must be {'an integer' if kind is int else 'a number'} >= {low}, got {v!r}")
    return kind(v)


def train(config_path):
    cfg = read_json(config_path)
    if cfg.get("contract") != CONTRACT:
        raise UserError(f"{config_path}: contract {cfg.get('contract')!r}, this trainer speaks {CONTRACT}")
    base, out, tokens = cfg.get("base_model"), cfg.get("out"), cfg.get("tokens")
    if not all(isinstance(v, str) for v in (base, out, tokens)):
        raise UserError(f"{config_path}: base_model, tokens and out must be paths")
    lr = number(cfg, "lr", float, 0)
    warmup = number(cfg, "warmup", int, 0)
    batch = number(cfg, "batch_size", int, 1)
    max_length = number(cfg, "max_length", int, 2)
    steps = number(cfg, "steps", int, 1)
    seed = number(cfg, "seed", int, 0)
    threads = number(cfg, "threads", int, 1)
    weight_decay = number(cfg, "weight_decay", float, 0)
    device = cfg.get("device", "cpu")
    setup(device, seed, threads)

    base_config = read_json(os.path.join(base, "config.json"))
    a = Arch(base_config, os.path.join(base, "config.json"))
    model, checkpoint = load_base(base, a, seed)
    records = read_tokens(tokens, max_length, a.uses_types)
    model.to(device).train()
    opt = optimizer(model, lr, weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, warmup_linear(warmup, steps))
    loss_fn = nn.BCEWithLogitsLoss()
    gen = torch.Generator().manual_seed(seed)
    order, at = [], 0
    losses = []
    show = sys.stderr.isatty()
    t0 = time.perf_counter()
    for step in range(steps):
        if at + batch > len(order):
            # Epochs of a seeded permutation; a batch never spans two of them.
            order, at = torch.randperm(len(records), generator=gen).tolist(), 0
            if batch > len(order):
                order = (order * (batch // len(order) + 1))[:batch]
        idx = order[at: at + batch]
        at += batch
        x = batch_of(records, idx, a.pad, device)
        y = torch.tensor([float(records.labels[i]) for i in idx], device=device)
        logits = model(x[0], x[1], x[2] if a.uses_types else None).squeeze(-1)
        loss = loss_fn(logits, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
        if show and (step + 1) % 50 == 0:
            print(f"\rtrain: step {step + 1}/{steps} loss {sum(losses[-50:]) / 50:.4f}", end="", file=sys.stderr)
    seconds = time.perf_counter() - t0
    if show:
        print(file=sys.stderr)

    model.eval()
    os.makedirs(out, exist_ok=True)
    export_onnx(model, a, os.path.join(out, "model.onnx"), device)
    with torch.no_grad():
        sample = list(range(min(PARITY_PAIRS, len(records))))
        x = batch_of(records, sample, a.pad, device)
        parity_logits = model(x[0], x[1], x[2] if a.uses_types else None).squeeze(-1).cpu().tolist()
    write_json(os.path.join(out, "parity.json"), {
        "pairs": [dict(zip(("ids", "types"), records.pair(i))) for i in sample],
        "logits": parity_logits,
    })
    model.cpu()
    torch.save({a.prefix + k if k.startswith(("embeddings.", "encoder.", "pooler.")) else k: v
                for k, v in model.state_dict().items()}, os.path.join(out, "pytorch_model.bin"))
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if os.path.isfile(os.path.join(base, name)):
            shutil.copyfile(os.path.join(base, name), os.path.join(out, name))
    write_json(os.path.join(out, "config.json"), {
        **base_config,
        "architectures": ["BertForSequenceClassification" if a.kind in BERT_TYPES else "XLMRobertaForSequenceClassification"],
        "num_labels": 1,
        "id2label": {"0": "LABEL_0"},
        "label2id": {"LABEL_0": 0},
    })
    tenth = max(1, steps // 10)
    curve = [round(sum(losses[i: i + tenth]) / len(losses[i: i + tenth]), 6) for i in range(0, steps, tenth)]
    write_json(os.path.join(out, "provenance.json"), {
        "trainer": "csclir-bench torch reference trainer",
        "torch": torch.__version__,
        "device": device,
        "checkpoint": os.path.basename(checkpoint),
        "records": len(records),
        "steps": steps,
        "batch_size": batch,
        "lr": lr,
        "warmup": warmup,
        "max_length": max_length,
        "weight_decay": weight_decay,
        "seed": seed,
        "threads": threads,
        "loss_curve": curve,
        "weights_sha256": weights_sha256(model),
    })
    write_json(os.path.join(out, "timing.json"), {
        "seconds": round(seconds, 3),
        "steps_per_second": round(steps / max(seconds, 1e-9), 3),
    })


def init(config_path, out, seed):
    cfg = read_json(config_path)
    a = Arch(cfg, config_path)
    torch.manual_seed(seed)
    model = CrossEncoder(a)
    init_weights(model, a, seed)
    os.makedirs(out, exist_ok=True)
    state = {a.prefix + k: v for k, v in model.state_dict().items() if not k.startswith("classifier.")}
    torch.save(state, os.path.join(out, "pytorch_model.bin"))
    if os.path.abspath(os.path.dirname(config_path)) != os.path.abspath(out):
        shutil.copyfile(config_path, os.path.join(out, "config.json"))


def export_base(base, path):
    setup("cpu", 1, 1)
    a = Arch(read_json(os.path.join(base, "config.json")), os.path.join(base, "config.json"))
    model, _ = load_base(base, a, 1)
    export_onnx(model, a, path, "cpu")


def bench(base, steps, batch, length, threads):
    setup("cpu", 1, threads)
    a = Arch(read_json(os.path.join(base, "config.json")), os.path.join(base, "config.json"))
    t0 = time.perf_counter()
    model, _ = load_base(base, a, 1)
    load = time.perf_counter() - t0
    opt = optimizer(model, 2e-5, 0.01)
    gen = torch.Generator().manual_seed(1)
    ids = torch.randint(5, a.vocab, (batch, length), generator=gen)
    mask = torch.ones_like(ids)
    types = torch.zeros_like(ids) if a.uses_types else None
    y = (torch.arange(batch) % 2).float()
    loss_fn = nn.BCEWithLogitsLoss()
    model.train()
    times, cpu = [], []
    for _ in range(steps + 1):  # the first step warms up
        t, c = time.perf_counter(), time.process_time()
        loss = loss_fn(model(ids, mask, types).squeeze(-1), y)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    model.eval()
    fwd = []
    with torch.no_grad():
        for _ in range(steps + 1):
            t = time.perf_counter()
            model(ids, mask, types)
            fwd.append(time.perf_counter() - t)
    train_s = sum(times[1:]) / steps
    fwd_s = sum(fwd[1:]) / steps
    print(json.dumps({
        "torch": torch.__version__, "threads": threads, "batch": batch, "length": length,
        "params": sum(p.numel() for p in model.parameters()), "load_seconds": round(load, 2),
        "train_seconds_per_step": round(train_s, 3), "train_steps_per_second": round(1 / train_s, 4),
        "train_pairs_per_second": round(batch / train_s, 2),
        # CPU seconds a step took over all threads: what a step costs on a machine shared with others.
        "train_cpu_seconds_per_step": round(sum(cpu[1:]) / steps, 3),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "torch_forward_pairs_per_second": round(batch / fwd_s, 2),
    }))


USAGE = (
    "usage: train CONFIG.json | init CONFIG.json OUT --seed N | export BASE OUT.onnx | "
    "bench BASE --steps N --batch B --length L --threads T"
)


def options(pairs, names):
    """Integer options given as --name value pairs, all of `names` required."""
    o = dict(zip(pairs[0::2], pairs[1::2]))
    if len(pairs) % 2 or sorted(o) != sorted(names) or not all(v.isdigit() for v in o.values()):
        raise UserError(USAGE)
    return {k: int(v) for k, v in o.items()}


def main(argv):
    try:
        if len(argv) == 2 and argv[0] == "train":
            train(argv[1])
        elif len(argv) == 3 + 2 and argv[0] == "init":
            init(argv[1], argv[2], options(argv[3:], ["--seed"])["--seed"])
        elif len(argv) == 3 and argv[0] == "export":
            export_base(argv[1], argv[2])
        elif len(argv) >= 2 and argv[0] == "bench":
            o = options(argv[2:], ["--steps", "--batch", "--length", "--threads"])
            bench(argv[1], o["--steps"], o["--batch"], o["--length"], o["--threads"])
        else:
            raise UserError(USAGE)
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
