package textparse

import "strings"

// stage picks the stage of a question. The first rule that matches wins:
//
//  0. giving a tool access to something ("give claude access to our
//     wiki") is build, before the access rules see the word "access";
//  1. a permission question ("can I use ChatGPT for customer calls?") is
//     access: the answer is whether and how you may get to the tool;
//  2. a difference ("what's the difference between the team plan and
//     enterprise?") or a short definition ("what's an agent?", "what
//     does fine-tuning mean?") is what, even when it names something one
//     could obtain or build;
//  3. obtaining a tool — access, a license or seat, signing up or in, an
//     API key, who to ask, "get copilot" — is access;
//  4. building — build, automate, integrate, an API, agent, pipeline,
//     script or bot, "connect X to Y", "has anyone built" — is build;
//  5. setting a tool up — install, enable, access it, available — is access;
//  6. using a tool well — "how do I/to", tips, best way, prompts, examples,
//     "use X for" — is how;
//  7. finding a tool ("where can I find…") is access;
//  8. understanding or choosing — what is, vs, any good, worth it, which
//     one, tried, recommend — is what;
//  9. any other question naming a registry tool is what ("claude?");
//  10. anything else is StageNone.
func (q *qtext) stage(permission, tools bool) Stage {
	switch {
	case q.has(buildFirst):
		return StageBuild
	case permission:
		return StageAccess
	case q.has(whatFirst), q.asksDefinition():
		return StageWhat
	case q.has(accessObtain), q.getsTool():
		return StageAccess
	case q.builds():
		return StageBuild
	case q.has(accessSetup):
		return StageAccess
	case q.has(howPhrases):
		return StageHow
	case q.has(accessFind):
		return StageAccess
	case q.has(whatPhrases), tools:
		return StageWhat
	}
	return StageNone
}

// builds reports the build words of rule 4.
func (q *qtext) builds() bool {
	return q.has(buildPhrases) && !q.only(buildPhrases, notBuilding)
}

// only reports whether every match of phrases lies inside one of the
// longer phrases in within: "integration tests" are tests, not an
// integration.
func (q *qtext) only(phrases, within []string) bool {
	rest := q.joined
	for _, w := range within {
		rest = strings.ReplaceAll(rest, w, " ")
	}
	return !(&qtext{joined: rest}).has(phrases)
}

// getsTool reports "get copilot", "getting claude working" — but not "get
// chatgpt to format tables", which is using it.
func (q *qtext) getsTool() bool {
	for _, ws := range q.sents {
		for i := 0; i+1 < len(ws); i++ {
			if isIn(ws[i], "get", "getting", "get's") && isIn(ws[i+1], toolWord, "it") &&
				(i+2 == len(ws) || !isIn(ws[i+2], "to", "2", "into", "on", "done", "right", "wrong", "better")) {
				return true
			}
		}
	}
	return false
}

var (
	buildFirst   = pad("give <tool> access", "give it access", "<tool> access to", "grant <tool> access")
	whatFirst    = pad("difference", "differences", "diff between")
	accessObtain = pad(
		"get access", "getting access", "request access", "requesting access", "access to", "have access",
		"need access", "no access", "give me access", "grant access", "access request", "license", "licence",
		"licenses", "licences", "licensed", "seat", "seats", "sign up", "signup", "signed up", "log in",
		"login", "logged in", "log into", "sign in", "signin", "signed in", "api key", "invite", "invited",
		"invitation", "add me", "provision", "provisioned", "subscription", "subscribe", "account", "accounts",
		"enterprise plan", "paid plan", "pro plan", "plus plan", "team plan", "pay for",
		"reimburse", "reimbursed", "procurement", "purchase", "buy", "who do i ask", "who should i ask",
		"who do i talk to", "who do i contact", "who do i reach out to", "who can give", "who owns",
		"who manages", "who is the admin", "who's the admin", "admin", "admins", "blocked", "vpn", "sso",
		"okta", "trial", "do we have", "when will we get", "when do we get", "rolled out", "roll out", "rollout",
	)
	buildPhrases = pad(
		"build", "built", "building", "builds", "automate", "automated", "automating", "automation",
		"automations", "integrate", "integrated", "integrating", "integration", "integrations", "api",
		"apis", "sdk", "agent", "agents", "agentic", "pipeline", "pipelines", "script", "scripts", "scripting",
		"a bot", "slack bot", "slackbot", "bot that", "bot to", "bot for", "bots", "chatbot", "chatbots",
		"webhook", "webhooks", "zapier", "zap", "n8n", "power automate", "hook up", "hook it up", "hooked up",
		"connect", "connecting", "connected", "hook <tool> up", "plug into", "plug it into",
		"plugged into", "plugged it into", "plugging it into", "plug <tool> into", "plugged <tool> into", "fine tune", "fine tuning",
		"finetune", "fine tuned", "rag", "embeddings", "embedding", "vector", "langchain", "llamaindex",
		"mcp", "custom gpt", "custom gpts", "gpts", "programmatically", "from python", "in python",
		"with python", "endpoint", "endpoints", "deploy", "deployed", "cron", "scrape", "scraper", "scraping",
		"github action", "github actions", "a workflow that", "workflow that", "set up a workflow",
		// configured to do a job on its own: "could it be set up to read our
		// logs every morning", "set it up to post a summary"
		"be set up to", "set it up to", "set <tool> up to", "wire", "wired", "wiring", "on its own", "by itself",
		"on a schedule", "scheduled",
		"create a workflow", "make a workflow", "automatically", "call it from", "call <tool> from",
		"calling it from", "calling <tool> from",
	)
	// notBuilding are phrases with a build word that name something else.
	notBuilding = pad("integration test", "integration tests", "integration testing", "wire transfer", "wire transfers",
		"wired headphones")
	accessSetup = pad(
		"access", "install", "installed", "installing", "installation", "download", "downloaded", "set up",
		"setup", "enable", "enabled", "turn on", "turns on", "turning on", "turned on", "activate", "request", "requested", "available",
		"turn it on", "turns it on", "turned it on", "switch it on", "disabled", "greyed out", "grayed out",
		"availability", "onboard", "onboarding",
	)
	howPhrases = pad(
		"how do i", "how can i", "how to", "how would i", "how should i", "how do you", "how do we",
		"how can we", "how should we", "how would you", "how are you using", "how are people",
		"how is everyone", "how are folks", "how does everyone", "how do people", "how do folks", "tips",
		"tip", "best way", "good way", "best practice", "best practices", "better way", "a way to", "prompt", "prompts",
		"prompting", "advice", "example", "examples", "use case", "use cases", "trick", "tricks", "hack",
		"hacks", "guide", "guidance", "tutorial", "tutorials", "training", "course", "learn", "learning",
		"get better", "getting better", "resources", "get started", "getting started", "is there a way", "any way to", "workflow",
		"workflows", "template", "templates", "stop it", "make it", "get it to", "help me", "pointers",
		"use <tool> for", "using <tool> for", "use <tool> to", "using <tool> to", "use it for", "use it to",
		"using it for", "using it to", "get <tool> to", "make <tool>", "ask <tool> to",
	)
	accessFind  = pad("where do i find", "where can i find", "where can i get", "where do i get")
	whatPhrases = pad(
		"what is", "what's", "what are", "what does", "what do", "what can", "what exactly", "difference",
		"differences", "diff between", "vs", "versus", "compare", "compared", "comparison", "comparing",
		"better", "best tool", "best model", "best ai", "which", "any good", "worth it", "worth", "good at",
		"good for", "useful", "recommend", "recommendation", "recommendations", "recs", "heard of",
		"heard about", "explain", "eli5", "tried", "try", "opinion", "opinions", "thoughts", "experience",
		"experiences", "review", "how good", "how does", "how well", "how accurate", "accurate", "reliable",
		"hallucinate", "hallucinates", "hallucinating", "hallucination", "pros and cons", "limits", "limit",
		"limitations", "context window", "support", "supports", "capable", "can it", "does it", "how much",
		"cost", "costs", "price", "pricing", "worse", "what ai", "what tools", "what tool",
	)
	permissionPhrases = pad(
		"allowed", "permitted", "permission", "sanctioned", "whitelisted", "allowlisted",
		"blacklisted", "blocklisted", "banned", "prohibited", "forbidden", "compliant",
		// "policy" asks about the rules only with words around it: "long
		// policy docs" are something to summarise.
		"against policy", "against our policy", "against the policy", "the policy", "our policy", "ai policy",
		"company policy", "policy say", "policy says", "policy allow", "policy allows", "the policies",
		"our policies",
		"safe", "legit", "the rules", "guidelines", "is it ok", "is it okay", "is that ok", "is that okay",
		"is this ok", "is this okay", "is it fine", "is it alright", "is it legal", "legal to", "be ok",
		"be okay", "be fine", "ok to", "okay to", "ok if", "okay if", "fine to", "fine if", "alright to",
		"ok for", "okay for", "get in trouble", "against the rules",
	)
	// permissionVerbs follow "can I" / "can we" in a permission question.
	permissionVerbs = map[string]bool{
		"use": true, "paste": true, "put": true, "upload": true, "share": true, "feed": true, "give": true,
		"send": true, "enter": true, "input": true, "copy": true, "install": true, "try": true, "expense": true,
		"record": true, "let": true, "turn": true, "enable": true,
	}
)

// Question openers and fillers.
var (
	// rhetorical sentences end in "?" without asking anything.
	rhetorical = []string{
		"who knew", "guess what", "how cool", "how awesome", "how great", "how amazing", "how crazy",
		"how wild", "how neat", "how sick", "how nice", "how fun", "how good is that", "how good is this",
		"right", "am i right", "amirite", "isn't it", "ain't it", "why not", "who would have thought",
		"who'd have thought", "who would've thought", "what's not to love", "what's not to like",
		"need i say more", "you know", "can you believe", "how did i ever", "how did we ever", "huh", "eh",
		"lol", "wait what", "seriously", "really",
	}
	// askAnywhere are requests for help wherever they appear.
	askAnywhere = pad(
		"does anyone", "does anybody", "do any of you", "has anyone", "has anybody", "have any of you",
		"anyone know", "anybody know", "anyone have", "anyone tried", "anyone using", "anyone used",
		"anyone else", "wondering if", "wondering whether", "wondering how", "wondering what",
		"wondering why", "wondering where", "curious if", "curious whether", "curious how", "curious what",
		"not sure how", "not sure if", "not sure whether", "not sure where", "not sure what", "idk how",
		"no idea how", "any tips", "any advice", "any recommendations", "any suggestions", "any ideas",
		"any pointers", "any guidance", "is there a way", "is there any way", "can someone", "could someone",
		"can anyone", "could anyone", "can somebody", "need help", "need some help", "need access",
		"looking for advice", "looking for tips", "looking for recommendations", "looking for suggestions",
		"help me understand", "can i use", "can we use", "am i allowed", "are we allowed", "is it ok",
		"is it okay", "is it allowed", "who do i ask", "who should i ask", "where can i", "where do i",
		"how do i", "how can i", "how do you", "how do we", "quick question", "quick q", "qq",
		"question for", "question about", "dumb question", "noob question", "stupid question",
		"silly question", "random question", "i wonder", "trying to figure out", "do you know", "or nah",
	)
	greetings = set("hey", "hi", "hello", "hiya", "heya", "yo", "howdy", "morning", "gm", "team", "all",
		"everyone", "everybody", "folks", "guys", "y'all", "yall", "people", "friends", "there", "so", "ok",
		"okay", "um", "umm", "hmm", "quick", "question", "q", "qq", "sorry", "random", "dumb", "noob",
		"newbie", "also", "and", "but", "btw", "oh", "ah", "general", "hivemind", "please", "team's", "crew", "peeps", "fam", "good", "afternoon", "evening", "hallo", "heyo", "again", "another")
	auxiliaries = set("is", "are", "am", "was", "were", "does", "do", "did", "can", "could", "should",
		"would", "will", "has", "have", "may", "might", "shall", "isn't", "aren't", "doesn't", "don't",
		"didn't", "can't", "couldn't", "shouldn't", "wouldn't", "won't", "hasn't", "haven't")
	subjects = set("i", "we", "you", "ya", "y'all", "anyone", "anybody", "someone", "somebody",
		"everyone", "everybody", "there", "it", "this", "that", "these", "those", "they", "he", "she",
		"our", "my", "your", "the", "any", "people", "folks", "legal", "security", "us", "me")
	// spellings maps chat spellings and typos too short to correct by
	// distance to the words the rules use.
	spellings = map[string]string{
		"u": "you", "ur": "your", "pls": "please", "plz": "please", "whats": "what's", "hows": "how's",
		"wheres": "where's", "whos": "who's", "im": "i'm", "cant": "can't", "dont": "don't",
		"doesnt": "doesn't", "isnt": "isn't", "r": "are", "ppl": "people", "okey": "okay", "k": "ok",
		"any1": "anyone", "some1": "someone", "anyon": "anyone", "acess": "access", "acces": "access",
		"accss": "access", "promt": "prompt", "promts": "prompts", "prmpt": "prompt", "lisence": "license",
		"liscence": "license", "licence": "license", "instal": "install", "aproved": "approved",
		"alowed": "allowed", "alloud": "allowed", "intergrate": "integrate", "intergration": "integration",
		"automte": "automate", "buld": "build", "bulid": "build", "biuld": "build", "tipps": "tips",
		"differnce": "difference", "diffrence": "difference", "wat": "what", "wht": "what", "hw": "how",
		"hiw": "how", "cn": "can", "ai's": "ai",
	}
)

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// vocabulary holds every word the rules use; typoTargets the longer ones,
// by first letter, that misspellings are corrected to.
var vocabulary, typoTargets = func() (map[string]bool, map[byte][]string) {
	vocab := map[string]bool{}
	targets := map[byte][]string{}
	lists := [][]string{accessObtain, buildPhrases, accessSetup, howPhrases, accessFind, whatPhrases,
		permissionPhrases, rhetorical, askAnywhere, {"approve", "approved", "approves", "anyone", "someone", "anybody", "wondering",
			"recommend", "suggestions", "question", "policy", "prompts", "allowed", "against"},
		// Real words one typo away from a key word, which must stay as typed.
		strings.Fields(`thought thinking through though accept accepted accent expert exported experienced
			reviewed trained trainer learned learner building builder buildings supported supporter
			compares prompted accessed accessing accessible requests installs accounts signed signal
			licensed enabled agency agenda admired blocker blocks vectors connector scripted scraped
			deploys policies trials worthy useful users guided guides courses setting settings better
			signing singing tricky printers trails leaning export exports police instill advise scrips
			letter letters batter starts stared started tripped triple explains limited limits costly`)}
	for _, list := range lists {
		for _, p := range list {
			for _, w := range strings.Fields(p) {
				if vocab[w] {
					continue
				}
				vocab[w] = true
				if len(w) >= 6 && lettersOnly(w) {
					targets[w[0]] = append(targets[w[0]], w)
				}
			}
		}
	}
	return vocab, targets
}()
