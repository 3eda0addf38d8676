package textparse

import (
	"strings"
	"unicode"
)

// aiTerms are words and phrases that make a question about AI even when it
// names no registry tool: the field's own words and the best-known AI
// products (a question about one the registry lacks still goes to the
// champions, with the approved alternatives).
var aiTerms = []string{
	"ai", "genai", "gen-ai", "llm", "llms", "gpt", "chatgpt", "chatbot", "chatbots", "prompt", "prompts", "prompting",
	"copilot", "claude", "gemini", "bard", "openai", "anthropic", "mistral", "llama", "perplexity", "midjourney",
	"dall-e", "dalle", "deepseek", "grok", "notebooklm", "huggingface", "embeddings", "fine-tune", "fine-tuning",
	"finetune", "finetuning", "agentic", "machine learning", "artificial intelligence", "language model",
	"language models", "generative", "stable diffusion", "hugging face", "large language",
	"vector database", "vector store", "vector search",
}

// builtTerms make a question about AI only when it is about building one
// ("how do I build an agent that updates our CRM?"): alone they are a
// travel agent, a support agent's dashboard or the Zoom bot.
var builtTerms = []string{"agent", "agents", "bot", "bots"}

// buildVerbs say something is being built, in the forms mentions does not
// derive ("built", "made", "wrote").
var buildVerbs = []string{"build", "built", "make", "made", "create", "set up", "automate", "develop", "write", "wrote",
	"written", "train", "deploy", "code", "program", "prototype"}

// DataTerms are the built-in words that make a question about data: what
// the guidelines are usually about. guidelines.data extends them.
var DataTerms = []string{
	"paste", "upload", "customer", "client", "contract", "personal", "patient", "salary", "salaries", "payroll",
	"confidential", "pii", "gdpr", "hipaa", "medical", "health record", "employee record", "credit card",
	"bank account", "password", "credential", "nda", "source code", "financials", "social security",
}

// MentionsAI reports whether text uses an AI word or names a well-known AI
// product. Tool aliases from the registry are the ToolMatcher's job.
func MentionsAI(text string) bool {
	return mentions(text, aiTerms) || (mentions(text, builtTerms) && mentions(text, buildVerbs))
}

// MentionsData reports whether text speaks of data the guidelines cover:
// one of DataTerms or extra, in any of its usual forms ("customers",
// "pasting", "uploaded").
func MentionsData(text string, extra []string) bool {
	return mentions(text, DataTerms) || mentions(text, extra)
}

// mentions reports whether text holds any of terms as whole words: a
// one-word term in its plain, plural, past or -ing form; a phrase as it is.
func mentions(text string, terms []string) bool {
	if len(terms) == 0 {
		return false
	}
	words := strings.FieldsFunc(strings.ReplaceAll(strings.ToLower(text), "a.i.", "ai"), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
	seen := make(map[string]bool, 2*len(words))
	for _, w := range words {
		w = strings.Trim(w, "-")
		seen[w] = true
		for _, part := range strings.Split(w, "-") { // "ai-powered"
			seen[part] = true
		}
	}
	joined := " " + strings.Join(words, " ") + " "
	for _, t := range terms {
		t = strings.ToLower(strings.TrimSpace(t))
		switch {
		case t == "":
		case strings.Contains(t, " "):
			if strings.Contains(joined, " "+t+" ") || strings.Contains(joined, " "+t+"s ") {
				return true
			}
		case seen[t]:
			return true
		default:
			for _, form := range wordForms(t) {
				if seen[form] {
					return true
				}
			}
		}
	}
	return false
}

// wordForms are a word's plural, past and -ing forms ("paste": pastes,
// pasted, pasting).
func wordForms(w string) []string {
	forms := []string{w + "s", w + "es", w + "ed", w + "ing"}
	if stem, ok := strings.CutSuffix(w, "e"); ok {
		forms = append(forms, w+"d", stem+"ing")
	}
	if stem, ok := strings.CutSuffix(w, "y"); ok {
		forms = append(forms, stem+"ies")
	}
	return forms
}
