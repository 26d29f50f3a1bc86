//go:build js && wasm

package main

import (
	"context"
	"errors"
	"syscall/js"

	"github.com/frontsign/frontsign/worker"
)

// The edge policy's optional bindings (worker/policy.go): REVOCATIONS, a
// Workers KV namespace, and MINT_LIMIT, a Rate Limiting binding. Absent,
// there is no revocation or rate limit; present but of another kind (a
// plain variable of that name, say), every request answers 500 bad_config
// naming it.

// policyBindings returns the options for the bindings env has.
func policyBindings() ([]worker.Option, error) {
	ctx := js.Global().Get("context")
	if ctx.Type() != js.TypeObject || ctx.Get("env").Type() != js.TypeObject {
		return nil, nil
	}
	env := ctx.Get("env")
	var opts []worker.Option
	if kv := env.Get(worker.BindingRevocations); !kv.IsUndefined() {
		if kv.Type() != js.TypeObject || kv.Get("get").Type() != js.TypeFunction {
			return nil, &worker.SettingError{Setting: worker.BindingRevocations, Msg: "is not a Workers KV namespace binding; bind one with [[kv_namespaces]] binding = \"REVOCATIONS\" in wrangler.toml (and no variable of that name)"}
		}
		opts = append(opts, worker.WithRevocations(kvStore{kv}))
	}
	if rl := env.Get(worker.BindingMintLimit); !rl.IsUndefined() {
		if rl.Type() != js.TypeObject || rl.Get("limit").Type() != js.TypeFunction {
			return nil, &worker.SettingError{Setting: worker.BindingMintLimit, Msg: "is not a Rate Limiting binding; bind one with [[ratelimits]] name = \"MINT_LIMIT\" in wrangler.toml (and no variable of that name)"}
		}
		limit := ctx.Get("binding").Get("limit") // entry.mjs's

		if limit.Type() != js.TypeFunction {
			return nil, errors.New("worker bridge: entry.mjs has no binding.limit")
		}
		opts = append(opts, worker.WithRateLimiter(rateLimiter{rl, limit}))
	}
	return opts, nil
}

// kvStore reads REVOCATIONS with KV's get(key), text.
type kvStore struct{ ns js.Value }

func (s kvStore) Get(ctx context.Context, key string) (string, bool, error) {
	v, err := awaitDirect(s.ns.Call("get", key))
	if err != nil {
		return "", false, errors.New("KV get failed: " + err.Error())
	}
	if v.Type() != js.TypeString {
		return "", false, nil // null: no such key
	}
	return v.String(), true, nil
}

// rateLimiter counts n units with entry.mjs's binding.limit, which makes n
// limit({key}) calls at once (one unit each) and settles a slot (direct.go):
// fulfilled when all were within the limit, rejected with overLimit when one
// was not, rejected with the error's text when the binding failed.
type rateLimiter struct{ binding, limit js.Value }

// overLimit is binding.limit's rejection for "over the limit" (entry.mjs).
const overLimit = "frontsign: over the limit"

func (l rateLimiter) Limit(ctx context.Context, key string, n int) (bool, error) {
	v, fulfilled, ok := waitSlot(func(slot int32) { l.limit.Invoke(slot, l.binding, key, n) }, false)
	switch {
	case !ok:
		return false, errors.New("rate limit failed: every settle slot is in use")
	case fulfilled:
		return true, nil
	case v.String() == overLimit:
		return false, nil
	}
	return false, errors.New("rate limit failed: " + v.String())
}
