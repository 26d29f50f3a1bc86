// Package panics turns a panic into an error, for the long-lived programs
// frontsign runs in (a Worker isolate, a page, a JS module's instance),
// where one panic would otherwise end the Go program and every request or
// call in flight with it.
package panics

import "fmt"

// Catch runs f and returns nil, or, if f panics, an error whose text is
// the panic value's (fmt.Sprint). The panic stops there: the caller goes
// on, and should answer that one request or call with an internal error.
func Catch(f func()) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &Error{Value: v}
		}
	}()
	f()
	return nil
}

// Error is a panic caught by [Catch].
type Error struct {
	Value any // what was passed to panic
}

func (e *Error) Error() string { return fmt.Sprint(e.Value) }
