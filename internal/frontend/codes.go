package frontend

import (
	"errors"

	"github.com/frontsign/frontsign"
)

// Codes of the front ends themselves, beside the core's and the token
// package's; all are frontsign.Code values in one namespace.
const (
	// CodeBadArgument: a JS argument of the wrong type, an unknown option,
	// or a key handle that was freed or does not come from importPrivateKey.
	CodeBadArgument frontsign.Code = "bad_argument"
	// CodeWebCryptoUnavailable: crypto: "webcrypto" was asked for where
	// crypto.subtle does not exist (browsers offer it only on https/localhost).
	CodeWebCryptoUnavailable frontsign.Code = "webcrypto_unavailable"
	// CodeBadRequest: a request's fields do not fit together (both an
	// expiry and a lifetime, say).
	CodeBadRequest frontsign.Code = "bad_request"
	// CodeInternal: a bug in frontsign (a recovered panic), or an error
	// that carries no code.
	CodeInternal frontsign.Code = "internal"
)

// CodeOf is the code a front end reports for err: its frontsign.Code, or
// CodeInternal when it has none. The JS module's Error.code is this string.
func CodeOf(err error) frontsign.Code {
	if c := frontsign.ErrorCode(err); c != "" {
		return c
	}
	return CodeInternal
}

// BatchIndex is the index of the failing URL when err comes from a batch
// (frontsign.SignURLs), and -1 otherwise.
func BatchIndex(err error) int {
	if be, ok := errors.AsType[*frontsign.BatchError](err); ok {
		return be.Index
	}
	return -1
}
