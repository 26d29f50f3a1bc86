package worker

import (
	"strconv"

	"github.com/frontsign/frontsign/internal/minjson"
)

// The two answers a batch repeats per URL — its audit line and its result
// object — are written by hand instead of through encoding/json, whose
// reflection was a quarter of a 100-URL request's CPU in wasm. Their output
// is pinned byte for byte to encoding/json's (with SetEscapeHTML(false)) by
// TestAppendJSONMatchesEncodingJSON and FuzzAppendJSONString; strings are
// written by minjson.AppendString, which the JS module's answers share.

// appendJSON appends a's JSON object, as encoding/json writes auditLine.
func (a *auditLine) appendJSON(b []byte) []byte {
	b = append(b, `{"time":`...)
	b = minjson.AppendString(b, a.Time)
	b = append(b, `,"event":`...)
	b = minjson.AppendString(b, a.Event)
	b = append(b, `,"kind":`...)
	b = minjson.AppendString(b, a.Kind)
	b = append(b, `,"requestId":`...)
	b = minjson.AppendString(b, a.RequestID)
	b = append(b, `,"sub":`...)
	b = minjson.AppendString(b, a.Subject)
	b = append(b, `,"resource":`...)
	b = minjson.AppendString(b, a.Resource)
	b = append(b, `,"expires":`...)
	b = strconv.AppendInt(b, a.Expires, 10)
	b = append(b, `,"keyPairId":`...)
	b = minjson.AppendString(b, a.KeyPairID)
	return append(b, '}')
}

// appendJSON appends s's JSON object, as encoding/json writes signedURL.
func (s *signedURL) appendJSON(b []byte) []byte {
	b = append(b, `{"signedUrl":`...)
	b = minjson.AppendString(b, s.SignedURL)
	b = append(b, `,"expires":`...)
	b = strconv.AppendInt(b, s.Expires, 10)
	b = append(b, `,"keyPairId":`...)
	b = minjson.AppendString(b, s.KeyPairID)
	return append(b, '}')
}
