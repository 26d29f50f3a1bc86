//go:build js && wasm

package main

import (
	"runtime"
	"strings"
	"sync"
	"syscall/js"
	"testing"
	"time"
)

// installNeverSettling installs settling once per test binary (the slots
// are global) with a binding whose settle only notes the last slot it was
// given: the test settles a slot itself, with settledExport, as entry.mjs
// would.
var (
	installOnce sync.Once
	testBinding js.Value
)

func installNeverSettling() {
	installOnce.Do(func() {
		fn := js.Global().Get("Function")
		testBinding = js.Global().Get("Object").New()
		testBinding.Set("settle", fn.New("promise", "slot", "this.last = slot;").Call("bind", testBinding))
		testBinding.Set("take", fn.New("slot", "return undefined;"))
		testBinding.Set("signAll", fn.New(""))
		installSettling(testBinding)
	})
}

// A Promise that never settles costs its waiter an error after maxWait, not
// the goroutine for ever; its slot stays out of use until the Promise
// settles after all, then is free again.
func TestAwaitDirectIsBounded(t *testing.T) {
	installNeverSettling()
	defer func(old time.Duration) { maxWait = old }(maxWait)
	maxWait = 20 * time.Millisecond

	never := js.Global().Get("Promise").New(js.Global().Get("Function").New("resolve", "reject", ""))
	done := make(chan error, 1)
	go func() {
		_, err := awaitDirect(never)
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second): // far past maxWait: the wait is unbounded
		t.Fatal("awaitDirect still waits on a Promise that never settles")
	}
	if err == nil || !strings.Contains(err.Error(), "did not settle within 20ms") {
		t.Fatalf("awaitDirect = %v, want an error saying the Promise did not settle", err)
	}
	if n := len(freeSlots); n != settleSlots-1 {
		t.Fatalf("%d free slots after the wait ran out, want %d: the slot must stay retired until its Promise settles", n, settleSlots-1)
	}

	// The Promise settles late, as entry.mjs would tell Go: the slot is free again.
	settledExport(int32(testBinding.Get("last").Int()), 1)
	for i := 0; i < 1000 && len(freeSlots) < settleSlots; i++ {
		runtime.Gosched()
	}
	if n := len(freeSlots); n != settleSlots {
		t.Fatalf("%d free slots after the late settle, want all %d", n, settleSlots)
	}
}
