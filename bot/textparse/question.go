package textparse

import (
	"regexp"
	"strings"
)

// Stage is where a question sits on the adoption path.
type Stage string

// The stages, from "what is it?" to "how do I build Y?".
const (
	StageNone   Stage = ""
	StageWhat   Stage = "what"
	StageAccess Stage = "access"
	StageHow    Stage = "how"
	StageBuild  Stage = "build"
)

// Reading is how the bot understood one message.
type Reading struct {
	Text         string
	IsQuestion   bool
	IsPermission bool
	Stage        Stage
	Tools        []string
	MinutesSaved int
}

var (
	questionStartRE = regexp.MustCompile(`(?i)^\s*(can|could|may|is|are|am|does|do|did|how|what|whats|what's|where|who|which|why|when|any(one|body)?|has anyone|should|would|will)\b`)
	permissionRE    = regexp.MustCompile(`(?i)\b(can (i|we) (use|paste|upload|put|share)|(is|are) (it|we|i) (ok|okay|allowed|safe|fine)|am i allowed|are we allowed|allowed to|is .{1,30} approved|against (the )?policy|permitted)\b`)
	buildRE         = regexp.MustCompile(`(?i)\b(build|built|automate|integrat\w*|agent|api|pipeline|workflow|script|bot|connect \w+ to|hook up|zapier|webhook)\b`)
	accessRE        = regexp.MustCompile(`(?i)\b(access|license|licence|seat|sign ?up|log ?in|install|account|request|get (it|started|a)|enable)\b`)
	howRE           = regexp.MustCompile(`(?i)\b(how (do|can|should) (i|we|you)|tips|best way|prompt|help me|trick|use it (to|for))\b`)
	whatRE          = regexp.MustCompile(`(?i)\b(what is|what's|whats|what are|what does|difference between|any good|worth it|explain)\b`)
)

// Read classifies text deterministically, with rules a person can follow:
// a question ends in "?" or opens like one; "can I use / is it ok to" asks
// permission and counts as the access stage; building, automating or
// integrating is build; "how do I / tips / best way" is how; "what is / any
// good" is what.
func Read(text string, m *ToolMatcher) Reading {
	r := Reading{Text: text, Tools: m.Find(text), MinutesSaved: MinutesSaved(text)}
	r.IsQuestion = strings.Contains(text, "?") || questionStartRE.MatchString(text)
	if !r.IsQuestion {
		return r
	}
	r.IsPermission = permissionRE.MatchString(text)
	switch {
	case r.IsPermission:
		r.Stage = StageAccess
	case buildRE.MatchString(text):
		r.Stage = StageBuild
	case accessRE.MatchString(text):
		r.Stage = StageAccess
	case howRE.MatchString(text):
		r.Stage = StageHow
	case whatRE.MatchString(text):
		r.Stage = StageWhat
	default:
		r.Stage = StageHow
	}
	return r
}
