package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"text/template"
)

const newServiceUsage = `Usage: ltigen new-service [-out FILE] [-force] NAME

Writes the starting model of a partner's REST service: a UML model in
XMI, as Eclipse Papyrus writes it, that applies the LTI profile
(docs/profile.md) and extends the LTI 2.0 standard model. It holds a
vocabulary package NAME, one addressable class, one media type for it, and
a service NAMEService with one GET operation, ready to be opened in a UML
tool and grown. Check it with

  ltigen inspect --semantic --standard FILE

NAME is the model's name, a letter followed by letters and digits
("OrgHierarchy"). The file is FILE, by default NAME in lower case with
".uml"; "-" writes to standard output. An existing file is not
overwritten unless -force is given.

Exit status: 0 written; 1 the file could not be written; 2 usage error.

Flags:
`

// serviceName is what a new service's NAME must look like.
var serviceName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,63}$`)

func runNewService(_ context.Context, args []string, stdout, stderr io.Writer) int {
	set := flag.NewFlagSet("new-service", flag.ContinueOnError)
	out := set.String("out", "", "write the model to `FILE` (default: NAME in lower case with .uml; - for standard output)")
	force := set.Bool("force", false, "overwrite an existing file")
	usage, code, ok := parseFlags(set, newServiceUsage, args, stdout, stderr)
	if !ok {
		return code
	}
	if set.NArg() != 1 || !serviceName.MatchString(set.Arg(0)) {
		fmt.Fprintln(stderr, "ltigen new-service: give one NAME: a letter followed by letters and digits")
		fmt.Fprintln(stderr)
		usage.print(stderr)
		return exitUsage
	}
	name := set.Arg(0)
	data, err := serviceSkeleton(name)
	if err != nil {
		fmt.Fprintf(stderr, "ltigen new-service: %v\n", err)
		return exitProblem
	}
	path := *out
	if path == "" {
		path = strings.ToLower(name) + ".uml"
	}
	if path == "-" {
		if _, err := stdout.Write(data); err != nil {
			fmt.Fprintf(stderr, "ltigen new-service: %v\n", err)
			return exitProblem
		}
		return exitOK
	}
	mode := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		mode = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, mode, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "ltigen new-service: %s exists; use -force to overwrite it\n", path)
		return exitProblem
	}
	if err != nil {
		fmt.Fprintf(stderr, "ltigen new-service: %v\n", err)
		return exitProblem
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		fmt.Fprintf(stderr, "ltigen new-service: %v\n", werr)
		return exitProblem
	}
	fmt.Fprintf(stdout, "wrote %s; check it with: ltigen inspect --semantic --standard %s\n", path, path)
	return exitOK
}

// serviceSkeleton returns the starting model of the service name.
func serviceSkeleton(name string) ([]byte, error) {
	t, err := template.New("skeleton").Parse(skeletonTemplate)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = t.Execute(&buf, struct{ Name, Lower string }{Name: name, Lower: strings.ToLower(name)})
	return buf.Bytes(), err
}

// skeletonTemplate is the starting model. Names are letters and digits
// only, so nothing needs XML escaping. The types and the profile are
// referenced by the base names of the standard model's files, which
// resolve when the model is loaded with the standard one.
const skeletonTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<xmi:XMI xmi:version="20131001" xmlns:xmi="http://www.omg.org/spec/XMI/20131001"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:ecore="http://www.eclipse.org/emf/2002/Ecore"
    xmlns:uml="http://www.eclipse.org/uml2/5.0.0/UML"
    xmlns:LTI="http://ltiforge.org/schemas/LTI/1.0"
    xsi:schemaLocation="http://ltiforge.org/schemas/LTI/1.0 lti.profile.uml#LTI.ecore">
  <uml:Model xmi:id="{{.Name}}" name="{{.Name}}">
    <ownedComment xmi:type="uml:Comment" xmi:id="{{.Name}}.doc" annotatedElement="{{.Name}}">
      <body>The {{.Name}} service: describe here what it offers and who calls it. It extends the LTI 2.0 standard model, whose XML Schema types (lti.uml) it uses; load it with the standard model (ltigen inspect --standard, ltigen generate -model).</body>
    </ownedComment>
    <profileApplication xmi:type="uml:ProfileApplication" xmi:id="{{.Name}}.profileApplication">
      <eAnnotations xmi:type="ecore:EAnnotation" xmi:id="{{.Name}}.profileApplication.ecore" source="http://www.eclipse.org/uml2/2.0.0/UML">
        <references xmi:type="ecore:EPackage" href="lti.profile.uml#LTI.ecore"/>
      </eAnnotations>
      <appliedProfile xmi:type="uml:Profile" href="lti.profile.uml#LTI"/>
    </profileApplication>
    <packagedElement xmi:type="uml:Class" xmi:id="{{.Name}}Item" name="{{.Name}}Item">
      <ownedComment xmi:type="uml:Comment" xmi:id="{{.Name}}Item.doc" annotatedElement="{{.Name}}Item">
        <body>One resource of the service. Rename it and add its properties.</body>
      </ownedComment>
      <ownedAttribute xmi:type="uml:Property" xmi:id="{{.Name}}Item.name" name="name">
        <ownedComment xmi:type="uml:Comment" xmi:id="{{.Name}}Item.name.doc" annotatedElement="{{.Name}}Item.name">
          <body>The resource's name, for people.</body>
        </ownedComment>
        <type xmi:type="uml:PrimitiveType" href="lti.uml#xs.string"/>
      </ownedAttribute>
    </packagedElement>
    <packagedElement xmi:type="uml:Class" xmi:id="{{.Name}}ItemDocument" name="{{.Name}}ItemDocument">
      <ownedComment xmi:type="uml:Comment" xmi:id="{{.Name}}ItemDocument.doc" annotatedElement="{{.Name}}ItemDocument">
        <body>One {{.Name}}Item as a JSON-LD document.</body>
      </ownedComment>
    </packagedElement>
    <packagedElement xmi:type="uml:Interface" xmi:id="{{.Name}}Service" name="{{.Name}}Service">
      <ownedComment xmi:type="uml:Comment" xmi:id="{{.Name}}Service.doc" annotatedElement="{{.Name}}Service">
        <body>The service's operations, one HTTP method on one URL template each. Calls are signed like every LTI 2.0 service (OAuth 1.0a with a body hash).</body>
      </ownedComment>
      <ownedOperation xmi:type="uml:Operation" xmi:id="{{.Name}}Service.getItem" name="getItem">
        <ownedComment xmi:type="uml:Comment" xmi:id="{{.Name}}Service.getItem.doc" annotatedElement="{{.Name}}Service.getItem">
          <body>Reads one resource.</body>
        </ownedComment>
        <ownedParameter xmi:type="uml:Parameter" xmi:id="{{.Name}}Service.getItem.item_id" name="item_id">
          <ownedComment xmi:type="uml:Comment" xmi:id="{{.Name}}Service.getItem.item_id.doc" annotatedElement="{{.Name}}Service.getItem.item_id">
            <body>The resource's id.</body>
          </ownedComment>
          <type xmi:type="uml:PrimitiveType" href="lti.uml#xs.string"/>
        </ownedParameter>
        <ownedParameter xmi:type="uml:Parameter" xmi:id="{{.Name}}Service.getItem.return" name="return" direction="return" type="{{.Name}}ItemDocument">
          <ownedComment xmi:type="uml:Comment" xmi:id="{{.Name}}Service.getItem.return.doc" annotatedElement="{{.Name}}Service.getItem.return">
            <body>The resource.</body>
          </ownedComment>
        </ownedParameter>
      </ownedOperation>
    </packagedElement>
  </uml:Model>
  <LTI:Vocabulary xmi:id="{{.Name}}.Vocabulary" base_Package="{{.Name}}" namespace="http://example.org/vocab/{{.Lower}}#" prefix="{{.Lower}}"/>
  <LTI:Addressable xmi:id="{{.Name}}Item.Addressable" base_Class="{{.Name}}Item"/>
  <LTI:MediaType xmi:id="{{.Name}}ItemDocument.MediaType" base_Class="{{.Name}}ItemDocument"
      name="application/vnd.example.{{.Lower}}.item+json" root="{{.Name}}Item"
      context="http://example.org/ctx/{{.Lower}}/v1/{{.Name}}Item"/>
  <LTI:RestService xmi:id="{{.Name}}Service.RestService" base_Interface="{{.Name}}Service"
      mediaTypes="application/vnd.example.{{.Lower}}.item+json"/>
  <LTI:HttpOperation xmi:id="{{.Name}}Service.getItem.HttpOperation" base_Operation="{{.Name}}Service.getItem"
      method="GET" path="/{{.Lower}}/{item_id}" offer="{{.Name}}.item"
      response="application/vnd.example.{{.Lower}}.item+json"
      status="200 The body is the resource.&#xA;401 The request is not authorised: the OAuth signature, body hash, timestamp or nonce did not verify.&#xA;404 No resource has this id.&#xA;500 The server failed while handling a valid request."/>
  <LTI:PathParam xmi:id="{{.Name}}Service.getItem.item_id.PathParam" base_Parameter="{{.Name}}Service.getItem.item_id"/>
</xmi:XMI>
`
