module github.com/httpserver-go/httpserver

go 1.26.0

require (
	github.com/google/go-cmp v0.7.0
	github.com/youmark/pkcs8 v0.0.0-20240726163527-a2c0da244d78
	golang.org/x/crypto v0.58.0
	golang.org/x/net v0.62.0
)

require golang.org/x/text v0.43.0 // indirect
