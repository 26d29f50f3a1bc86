module github.com/frontsign/frontsign

go 1.26.0

require (
	github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign v1.12.3
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/rogpeppe/go-internal v1.15.0
	github.com/syumai/workers v0.33.0
	github.com/tdewolff/minify/v2 v2.24.25
	github.com/tdewolff/parse/v2 v2.8.20
	golang.org/x/net v0.62.0
)

require (
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/tools v0.51.0 // indirect
)
