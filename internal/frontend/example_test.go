package frontend

import (
	"fmt"
	"log"
	"time"

	"github.com/frontsign/frontsign"
)

// exampleNow stands in for time.Now() so the outputs below are stable.
var exampleNow = time.Date(2026, 1, 1, 17, 0, 0, 0, time.UTC)

// Summary is how the CLI and the page show an inspection.
func ExampleSummary() {
	// Signed with the published 1024-bit test key (testdata/sep-rsa-1024.pem)
	// for an hour from exampleNow, from a minute before it, for 192.168.0.0/24.
	signed := "https://d111111abcdef8.cloudfront.net/video.mp4?Policy=eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cHM6Ly9kMTExMTExYWJjZGVmOC5jbG91ZGZyb250Lm5ldC92aWRlby5tcDQiLCJDb25kaXRpb24iOnsiRGF0ZUxlc3NUaGFuIjp7IkFXUzpFcG9jaFRpbWUiOjE3NjcyOTA0MDB9LCJEYXRlR3JlYXRlclRoYW4iOnsiQVdTOkVwb2NoVGltZSI6MTc2NzI4Njc0MH0sIklwQWRkcmVzcyI6eyJBV1M6U291cmNlSXAiOiIxOTIuMTY4LjAuMC8yNCJ9fX1dfQ__&Signature=T-kryhCTjI~tPop9Dcbou~OHZUsUGtwHchC~VHXrh9oQyA7iJJVvN6xnFXHgykVeB9l4EM0WLM7FHi9hlie4aH9gy3kuEWT~dKh~pWT5Rm~bQSQe5QVYXKT3VzyVK4kOovKaZyOSFLQCis5RLb009QTlo55ftGT8hUNZYG9HHhA_&Key-Pair-Id=K1TESTKEY&Hash-Algorithm=SHA256"
	in, err := frontsign.Inspect(signed, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(Summary(in, nil, exampleNow))
	// Output:
	// source:      signed URL
	// url:         https://d111111abcdef8.cloudfront.net/video.mp4
	// key pair id: K1TESTKEY
	// algorithm:   RSA-1024 with SHA-256 (PKCS#1 v1.5)
	// policy:      custom policy (Policy)
	// resource:    https://d111111abcdef8.cloudfront.net/video.mp4
	// valid after: 2026-01-01T16:59:00Z (1m0s ago)
	// expires:     2026-01-01T18:00:00Z (in 1h0m0s)
	// ip address:  192.168.0.0/24
	// policy json: {"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/video.mp4","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400},"DateGreaterThan":{"AWS:EpochTime":1767286740},"IpAddress":{"AWS:SourceIp":"192.168.0.0/24"}}}]}
}
