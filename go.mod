module github.com/ltiforge/ltiforge

go 1.26.0

require (
	github.com/dave/jennifer v1.7.1
	github.com/piprate/json-gold v0.9.1
	golang.org/x/net v0.62.0
	golang.org/x/text v0.44.0
	golang.org/x/tools v0.52.0
)

require (
	github.com/cayleygraph/quad v1.3.0 // indirect
	github.com/pquerna/cachecontrol v0.2.0 // indirect
)
