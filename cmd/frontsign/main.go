// Command frontsign signs, verifies and inspects Amazon CloudFront signed
// URLs and signed cookies, and makes the keys and dev tokens that go with them.
//
//	frontsign keygen  --type rsa|ecdsa --out NAME
//	frontsign sign    --url URL --key-pair-id ID --private-key FILE --date-less-than TIME
//	frontsign cookies --resource PATTERN --key-pair-id ID --private-key FILE --date-less-than TIME
//	frontsign verify  URL --public-key ID=FILE
//	frontsign inspect URL
//	frontsign token   --secret-file FILE --sub S --resource PATTERN
//
// The flags of sign mirror `aws cloudfront sign`. Run `frontsign help` for the
// list and `frontsign COMMAND -h` for each command's flags.
//
// Exit status: 0 on success (verify: allowed), 1 when verify denies, 2 for
// bad usage or input, with one line on stderr naming the problem and the fix.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
