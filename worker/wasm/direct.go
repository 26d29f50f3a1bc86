//go:build js && wasm

package main

import (
	"errors"
	"net/http"
	"runtime"
	"syscall/js"
	"time"
	"unsafe"

	"github.com/frontsign/frontsign/internal/webcrypto"
)

// The direct path: requests, answers and settled Promises cross without
// syscall/js. A js.Func call into Go costs ≈15–40 µs in workerd (its event
// machinery makes about ten crossings and holds several JavaScript objects,
// each with a finalizer), while a call to a //go:wasmexport function costs
// next to nothing. So entry.mjs:
//
//   - writes a request (the head and body of bridge.go's frame) straight
//     into Go's memory, at frontsign_inbox(n), then calls
//     frontsign_serve(id, headLength, bodyLength) and go._resume();
//   - receives the answer through the frontsign.done import, reading it
//     from Go's memory before returning;
//   - settles WebCrypto's Promises for Go: settle(promise, slot) waits in
//     JavaScript, then calls frontsign_settled(slot, ok) and go._resume();
//   - signs for Go: signAll reads the policies from Go's memory, writes
//     the signatures into it and settles a slot;
//   - logs for Go: the frontsign.log import prints an audit text read from
//     Go's memory (audit.go).
//
// Exported functions run while the Go program is paused between events
// and must never block: they only record what arrived and wake a goroutine
// with a non-blocking send; go._resume() then runs it. Anything that does
// not fit (a request larger than the inbox, every settle slot in use)
// takes the syscall/js path instead: bridge.go, webcrypto.Await.

// inbox is where entry.mjs writes a request. A request is copied out before
// go._resume() returns, so one buffer serves every request. Its size covers
// the API's largest body (64 KiB) and generous headers.
var inbox = make([]byte, 256<<10)

//go:wasmexport frontsign_inbox
func inboxFor(n int32) unsafe.Pointer {
	if n < 0 || int(n) > len(inbox) {
		return nil // entry.mjs then uses binding.serve
	}
	return unsafe.Pointer(unsafe.SliceData(inbox))
}

// arrived is the request in the inbox, for the dispatcher.
type arrived struct{ id, headLength, bodyLength int32 }

var arrivals = make(chan arrived, 1)

//go:wasmexport frontsign_serve
func serveExport(id, headLength, bodyLength int32) {
	select {
	case arrivals <- arrived{id, headLength, bodyLength}:
	default:
		// entry.mjs resumes Go after every request, which empties the
		// channel; a second request before that is a broken entry.mjs.
		panic("worker bridge: frontsign_serve called twice without go._resume()")
	}
}

//go:wasmimport frontsign done
func doneImport(id, status, headLength int32, answer unsafe.Pointer, n int32)

// dispatch copies each request out of the inbox and runs it on a pooled
// goroutine, which answers through frontsign.done.
func dispatch(h server) {
	for a := range arrivals {
		if a.headLength < 0 || a.bodyLength < 0 || int(a.headLength)+int(a.bodyLength) > len(inbox) {
			answerDirect(a.id, http.StatusInternalServerError, 0, nil) // a broken entry.mjs, not a client's fault
			continue
		}
		head := string(inbox[:a.headLength])
		var body []byte
		if a.bodyLength > 0 {
			body = append([]byte(nil), inbox[a.headLength:a.headLength+a.bodyLength]...)
		}
		id := a.id
		handlers.run(func() {
			status, headLength, answer := serveFrame(h, head, body)
			answerDirect(id, status, headLength, answer)
		})
	}
}

func answerDirect(id int32, status, headLength int, answer []byte) {
	doneImport(id, int32(status), int32(headLength), unsafe.Pointer(unsafe.SliceData(answer)), int32(len(answer)))
	runtime.KeepAlive(answer)
}

// Settling Promises: each waiting goroutine holds a slot; settle (entry.mjs)
// keeps the outcome in its own array under that slot until take hands it
// over.
const settleSlots = 1024

var (
	settleJS, takeJS, signAllJS js.Value
	freeSlots                   = make(chan int32, settleSlots)
	settled                     [settleSlots]chan bool // true: fulfilled, false: rejected
)

//go:wasmexport frontsign_settled
func settledExport(slot, ok int32) {
	if slot < 0 || slot >= settleSlots {
		return
	}
	select {
	case settled[slot] <- ok != 0:
	default: // a slot settles once; ignore a second call
	}
}

// installSettling takes entry.mjs's settle(promise, slot), take(slot) and
// signAll from binding, and returns the webcrypto.Host built on them: it
// awaits Promises through settle and take, and signs with signAll, which
// reads the policies from Go's memory and writes the signatures back there.
func installSettling(binding js.Value) webcrypto.Host {
	settleJS, takeJS, signAllJS = binding.Get("settle"), binding.Get("take"), binding.Get("signAll")
	for i := range settled {
		settled[i] = make(chan bool, 1)
		freeSlots <- int32(i)
	}
	return webcrypto.Host{Await: awaitDirect, Sign: signDirect}
}

// maxWait bounds every wait on a Promise. Each Promise waited on here has
// a shorter limit of its own (a fetch aborts after 10 s, WebCrypto answers
// in milliseconds), so this is the backstop for one that never settles: a
// binding that hangs, or a continuation the runtime dropped (workerd
// cancels a Promise's continuations when the request it was created in
// has ended). Such a wait then fails, and its request answers with an
// error, instead of holding its goroutine and its slot for ever. A
// variable for tests.
var maxWait = 30 * time.Second

// waitSlot runs start with a free slot, which start must hand to entry.mjs
// to settle, then waits for it, at most maxWait, and takes the outcome:
// always a rejection's text, a fulfilled value only if value is set (taking
// one gives Go a JavaScript value to hold). A wait that runs out reads as a
// rejection whose text says so. ok is false when every slot is in use
// (start is not run). pinned is Go memory that JavaScript writes into
// when the Promise settles (signDirect's signatures): it is kept alive
// until then, even past a wait that ran out.
func waitSlot(start func(slot int32), value bool, pinned ...any) (v js.Value, fulfilled, ok bool) {
	var slot int32
	select {
	case slot = <-freeSlots:
	default:
		return js.Value{}, false, false
	}
	retired := false
	defer func() {
		if !retired {
			freeSlots <- slot
		}
	}()
	start(slot)
	timeout := time.NewTimer(maxWait)
	defer timeout.Stop()
	select {
	case fulfilled = <-settled[slot]:
	case <-timeout.C:
		retired = true
		go retire(slot, pinned)
		return js.ValueOf("the JavaScript Promise did not settle within " + maxWait.String()), false, true
	}
	if value || !fulfilled {
		v = takeJS.Invoke(slot)
	}
	return v, fulfilled, true
}

// retire keeps a slot whose wait ran out from use until its Promise
// settles after all, so that a late outcome never reaches the slot's next
// waiter and a late write never lands in memory Go has reused; it then
// drops the outcome and frees the slot. A slot whose Promise never settles
// stays retired (with this goroutine and what it pins).
func retire(slot int32, pinned []any) {
	<-settled[slot]
	takeJS.Invoke(slot)
	runtime.KeepAlive(pinned)
	freeSlots <- slot
}

func awaitDirect(p js.Value) (js.Value, error) {
	v, fulfilled, ok := waitSlot(func(slot int32) { settleJS.Invoke(p, slot) }, true)
	switch {
	case !ok:
		return webcrypto.Await(p)
	case !fulfilled:
		return js.Value{}, errors.New(v.String()) // take gives a rejection as its text
	}
	return v, nil
}

// signDirect is a webcrypto.HostSign: entry.mjs's signAll reads the policies
// straight from Go's memory (WebCrypto copies its input when called, before
// Go runs again) and, once every signature is made, writes them into sigs
// and settles the slot, so signing gives Go no JavaScript value to hold.
// sigs stays where it is meanwhile (Go's collector does not move objects)
// and alive (the KeepAlive below; waitSlot pins it if the wait runs out
// before signAll writes).
func signDirect(key, signAlg js.Value, joined []byte, lengths []uint32, sigs []byte) (bool, error) {
	v, fulfilled, ok := waitSlot(func(slot int32) {
		signAllJS.Invoke(slot, key, signAlg, uintptr(unsafe.Pointer(unsafe.SliceData(joined))),
			uintptr(unsafe.Pointer(unsafe.SliceData(lengths))), len(lengths),
			uintptr(unsafe.Pointer(unsafe.SliceData(sigs))), len(sigs))
	}, false, sigs)
	runtime.KeepAlive(joined)
	runtime.KeepAlive(lengths)
	runtime.KeepAlive(sigs)
	switch {
	case !ok:
		return false, nil
	case !fulfilled:
		return true, errors.New(v.String())
	}
	return true, nil
}
