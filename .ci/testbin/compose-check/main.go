// compose-check loads a compose file the way `docker compose config` does (compose-go, the
// library Docker Compose v2 is built on: schema, interpolation, references between services)
// and parses each service's Dockerfile with BuildKit's own parser, then checks that every
// COPY/ADD source from the build context exists. It needs no Docker engine.
//
//	compose-check <compose file>
//
// Prints {"project": <the normalized project>, "dockerfiles": {<service>: {...}}} on stdout and
// exits 0, or prints what is wrong on stderr and exits 1.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

type dockerfile struct {
	Path     string   `json:"path"`
	Stages   []string `json:"stages"`
	Bases    []string `json:"bases"`
	Copied   []string `json:"copied"`
	Ignored  []string `json:"ignored"`
	Warnings []string `json:"warnings"`
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: compose-check <compose file>")
	}
	file, err := filepath.Abs(os.Args[1])
	check(err)
	options, err := cli.NewProjectOptions([]string{file}, cli.WithWorkingDirectory(filepath.Dir(file)),
		cli.WithConsistency(true), cli.WithResolvedPaths(true), cli.WithInterpolation(true))
	check(err)
	project, err := options.LoadProject(context.Background())
	check(err)
	dockerfiles := map[string]dockerfile{}
	for name, service := range project.Services {
		if service.Build != nil {
			dockerfiles[name] = checkBuild(name, service.Build)
		}
	}
	out, err := json.MarshalIndent(map[string]any{"project": project, "dockerfiles": dockerfiles}, "", "  ")
	check(err)
	fmt.Println(string(out))
}

func checkBuild(service string, build *types.BuildConfig) dockerfile {
	path := build.Dockerfile
	if !filepath.IsAbs(path) {
		path = filepath.Join(build.Context, path)
	}
	source, err := os.Open(path)
	check(err)
	defer source.Close()
	parsed, err := parser.Parse(source)
	check(err)
	result := dockerfile{Path: path, Stages: []string{}, Bases: []string{}, Copied: []string{}, Ignored: []string{}, Warnings: []string{}}
	for _, w := range parsed.Warnings {
		result.Warnings = append(result.Warnings, w.Short)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, description, url, message string, _ []parser.Range) {
		result.Warnings = append(result.Warnings, rule+": "+message)
	}})
	stages, _, err := instructions.Parse(parsed.AST, lint)
	check(err)
	ignore := ignorePatterns(build.Context, path)
	result.Ignored = ignore
	matcher, err := patternmatcher.New(ignore)
	check(err)
	for _, stage := range stages {
		result.Stages = append(result.Stages, stage.Name)
		result.Bases = append(result.Bases, stage.BaseName)
		for _, command := range stage.Commands {
			var sources []string
			switch c := command.(type) {
			case *instructions.CopyCommand:
				if c.From == "" {
					sources = c.SourcePaths
				}
			case *instructions.AddCommand:
				sources = c.SourcePaths
			}
			for _, src := range sources {
				rel := filepath.Clean(strings.TrimPrefix(src, "/"))
				if strings.HasPrefix(rel, "..") {
					fail(fmt.Sprintf("%s: %s copies %q from outside its build context", service, path, src))
				}
				if _, err := os.Stat(filepath.Join(build.Context, rel)); err != nil {
					fail(fmt.Sprintf("%s: %s copies %q, which is not in the build context %s", service, path, src, build.Context))
				}
				if excluded, _ := matcher.MatchesOrParentMatches(filepath.ToSlash(rel)); excluded {
					fail(fmt.Sprintf("%s: %s copies %q, which its .dockerignore excludes", service, path, src))
				}
				result.Copied = append(result.Copied, rel)
			}
		}
	}
	return result
}

// The ignore file BuildKit uses: <Dockerfile>.dockerignore beside the Dockerfile, else the context's .dockerignore.
func ignorePatterns(context, dockerfilePath string) []string {
	for _, candidate := range []string{dockerfilePath + ".dockerignore", filepath.Join(context, ".dockerignore")} {
		f, err := os.Open(candidate)
		if err != nil {
			continue
		}
		defer f.Close()
		patterns, err := ignorefile.ReadAll(f)
		check(err)
		return patterns
	}
	return []string{}
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "compose-check:", message)
	os.Exit(1)
}
