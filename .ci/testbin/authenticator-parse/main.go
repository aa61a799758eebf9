// Command authenticator-parse runs aws-iam-authenticator's own aws-auth
// ConfigMap parser (sigs.k8s.io/aws-iam-authenticator/pkg/mapper/configmap
// ParseMap) on a ConfigMap's data and prints the result as JSON. Tests use it
// as the reference for how the real authenticator reads aws-auth.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"github.com/sirupsen/logrus"
	"sigs.k8s.io/aws-iam-authenticator/pkg/config"
	"sigs.k8s.io/aws-iam-authenticator/pkg/mapper/configmap"
)

const usage = `usage: authenticator-parse [FILE]
       authenticator-parse --jsonl

With --jsonl it reads stdin as JSON Lines: one input object (as below) per
line, and writes one compact result per line, in order, flushing after each.
A line that cannot be read as input gives {"inputError": "message"} instead,
so results stay aligned with inputs. Tests use it to avoid a process per map.

Reads the data of an aws-auth ConfigMap as a JSON object from FILE (or stdin
when FILE is absent or "-"), for example
  {"mapRoles": "- rolearn: ...\n  username: ...\n", "mapUsers": "...", "mapAccounts": "..."}
A whole ConfigMap object ({"kind":"ConfigMap", "data": {...}}) is accepted too:
when the top level has a "data" member that is an object, that object is used.
Values must be strings (null counts as absent).

It calls aws-iam-authenticator's configmap.ParseMap on that map and prints
  {"roles": [...], "users": [...], "accounts": [...], "error": null | "message",
   "sectionErrors": {"mapRoles": null | "message", "mapUsers": ..., "mapAccounts": ...}}
Roles and users carry every field of the authenticator's config.RoleMapping /
config.UserMapping under its JSON tag (rolearn, sso{permissionSetName,
accountID, partition}, username, groups, userid / userarn, username, groups,
userid), always present (null or "" or [] when unset), plus derived fields:
roles: "key" (RoleMapping.Key(), the lower-cased ARN or SSO pattern the
authenticator indexes by) and "ssoArnLike" (RoleMapping.SSOArnLike());
users: "key" (UserMapping.Key()).

ParseMap keeps the valid entries of a section and drops an entry that fails
validation (for example a role with neither rolearn nor sso); a section that is
not valid YAML contributes no entries at all. Either way the error is reported
in "error" (ParseMap's aggregate message) and in "sectionErrors" (ParseMap run
on that section alone).

Exit status: 0 when the input was read, also when ParseMap returned an error;
2 when the input cannot be read or is not a JSON object of strings; 1 on an
internal error.

aws-iam-authenticator version: see this wrapper module's go.mod.
`

type output struct {
	Roles         []map[string]any   `json:"roles"`
	Users         []map[string]any   `json:"users"`
	Accounts      []string           `json:"accounts"`
	Error         *string            `json:"error"`
	SectionErrors map[string]*string `json:"sectionErrors"`
}

var sections = []string{"mapRoles", "mapUsers", "mapAccounts"}

func main() {
	logrus.SetOutput(io.Discard) // ParseMap also logs its errors; they are in the JSON.

	args := os.Args[1:]
	if len(args) == 1 && args[0] == "--jsonl" {
		runJSONLines()
		return
	}
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fmt.Print(usage)
			return
		}
	}
	if len(args) > 1 || (len(args) == 1 && strings.HasPrefix(args[0], "-") && args[0] != "-") {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}

	var in io.Reader = os.Stdin
	if len(args) == 1 && args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			fail(2, "cannot open input: %v", err)
		}
		defer f.Close()
		in = f
	}
	raw, err := io.ReadAll(in)
	if err != nil {
		fail(2, "cannot read input: %v", err)
	}
	data, err := decodeData(raw)
	if err != nil {
		fail(2, "unreadable input: %v", err)
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(parse(data)); err != nil {
		fail(1, "encoding output: %v", err)
	}
	os.Stdout.Write(buf.Bytes())
}

// runJSONLines answers one input object per stdin line with one result line.
func runJSONLines() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, readErr := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var result any
			if data, err := decodeData(line); err != nil {
				result = map[string]string{"inputError": err.Error()}
			} else {
				result = parse(data)
			}
			if err := enc.Encode(result); err != nil {
				fail(1, "encoding output: %v", err)
			}
			if err := out.Flush(); err != nil {
				fail(1, "writing output: %v", err)
			}
		}
		if readErr == io.EOF {
			return
		}
		if readErr != nil {
			fail(2, "cannot read input: %v", readErr)
		}
	}
}

// parse runs ParseMap on data (and on each section alone) and shapes the result.
func parse(data map[string]string) output {
	users, roles, accounts, parseErr := configmap.ParseMap(data)

	out := output{
		Roles:         make([]map[string]any, 0, len(roles)),
		Users:         make([]map[string]any, 0, len(users)),
		Accounts:      accounts,
		SectionErrors: map[string]*string{},
	}
	if out.Accounts == nil {
		out.Accounts = []string{}
	}
	for i := range roles {
		m, err := fields(roles[i])
		if err != nil {
			fail(1, "encoding role mapping: %v", err)
		}
		m["key"] = roles[i].Key()
		m["ssoArnLike"] = roles[i].SSOArnLike()
		out.Roles = append(out.Roles, m)
	}
	for i := range users {
		m, err := fields(users[i])
		if err != nil {
			fail(1, "encoding user mapping: %v", err)
		}
		m["key"] = users[i].Key()
		out.Users = append(out.Users, m)
	}
	out.Error = errString(parseErr)
	for _, s := range sections {
		v, ok := data[s]
		if !ok {
			out.SectionErrors[s] = nil
			continue
		}
		_, _, _, err := configmap.ParseMap(map[string]string{s: v})
		out.SectionErrors[s] = errString(err)
	}
	return out
}

// decodeData reads a JSON object of strings, or a ConfigMap object whose
// "data" member is such an object.
func decodeData(raw []byte) (map[string]string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, err
	}
	if top == nil {
		return nil, errors.New("expected a JSON object, got null")
	}
	if d, ok := top["data"]; ok && len(bytes.TrimSpace(d)) > 0 && bytes.TrimSpace(d)[0] == '{' {
		top = nil
		if err := json.Unmarshal(d, &top); err != nil {
			return nil, fmt.Errorf("data: %v", err)
		}
	}
	data := make(map[string]string, len(top))
	for k, v := range top {
		if string(bytes.TrimSpace(v)) == "null" {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, fmt.Errorf("value of %q is not a string", k)
		}
		data[k] = s
	}
	return data, nil
}

// fields encodes v (a config.RoleMapping or config.UserMapping) with its own
// JSON tags and then adds every tagged field that omitempty left out, so that
// each field of the struct is present in the output.
func fields(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	fillMissing(m, reflect.TypeOf(v))
	return m, nil
}

func fillMissing(m map[string]any, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		cur, present := m[name]
		switch f.Type.Kind() {
		case reflect.Slice:
			if !present || cur == nil {
				m[name] = []any{}
			}
		case reflect.String:
			if !present {
				m[name] = ""
			}
		case reflect.Pointer, reflect.Struct:
			if sub, ok := cur.(map[string]any); ok {
				fillMissing(sub, f.Type)
			} else if !present {
				m[name] = nil
			}
		default:
			if !present {
				m[name] = reflect.Zero(f.Type).Interface()
			}
		}
	}
}

func errString(err error) *string {
	if err == nil {
		return nil
	}
	s := err.Error()
	return &s
}

func fail(code int, format string, a ...any) {
	fmt.Fprintf(os.Stderr, "authenticator-parse: "+format+"\n", a...)
	os.Exit(code)
}

// Compile-time checks that the authenticator's types still have the methods
// used above.
var (
	_ = (*config.RoleMapping).Key
	_ = (*config.RoleMapping).SSOArnLike
	_ = (*config.UserMapping).Key
)
