// Package panics turns a panic into an error, for the long-lived programs
// frontsign runs in (a Worker isolate, a page, a JS module's instance),
// where one panic would otherwise end the Go program and every request or
// call in flight with it.
package panics

// Catch runs f and returns nil, or, if f panics, an error whose text is
// the panic value's (see [Error.Error]). The panic stops there: the caller goes
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

// Error returns the text of the panic value: an error's or a Stringer's
// text, or the string itself. Other values (panic(42)) give a fixed text:
// the package avoids fmt, which the JS module would otherwise link for it.
func (e *Error) Error() string {
	switch v := e.Value.(type) {
	case error:
		return v.Error()
	case interface{ String() string }:
		return v.String()
	case string:
		return v
	}
	return "panic with a value that is not an error or a string"
}
