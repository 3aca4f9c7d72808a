// Package gocode is the generator's Go output: one Go type per model
// class, enumeration and constrained simple type, JSON-LD decoding,
// encoding and validation for every media type, and the ld support
// package those types use. See New for the mapping.
package gocode

import "github.com/ltiforge/ltiforge/generator/godoc"

// comment renders the model's Markdown as Go comment lines.
func comment(paragraphs ...string) string { return godoc.Comment(paragraphs...) }
