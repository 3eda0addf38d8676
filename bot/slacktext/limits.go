package slacktext

// Slack's Block Kit limits, in characters as Len counts them. The bot cuts
// to these (after escaping) and the fake Slack enforces them.
// Sources (docs.slack.dev/reference/…): block-kit/blocks/section-block,
// context-block, header-block, input-block, actions-block;
// block-elements/button-element, plain-text-input-element;
// composition-objects/text-object, option-object; views/modal-views;
// methods/chat.postMessage ("up to 50 blocks").
const (
	// MessageBlocks is the most blocks one message may carry.
	MessageBlocks = 50
	// ViewBlocks is the most blocks a modal or Home tab may carry.
	ViewBlocks = 100
	// SectionText bounds a section's text (and any text object).
	SectionText = 3000
	// SectionFields is the most fields a section may have, FieldText the
	// length of each.
	SectionFields = 10
	FieldText     = 2000
	// HeaderText bounds a header block's plain_text.
	HeaderText = 150
	// ContextElements is the most elements a context block may have;
	// ContextText is the budget the bot keeps each text element to (the
	// context block page gives none beyond the text object's 3,000; the
	// fake holds the bot to the stricter 2,000).
	ContextElements = 10
	ContextText     = 2000
	// ActionsElements is the most elements an actions block may have.
	ActionsElements = 25
	// ButtonText, ButtonValue and ActionID bound a button.
	ButtonText  = 75
	ButtonValue = 2000
	ActionID    = 255
	// BlockID bounds any block_id.
	BlockID = 255
	// InputLabel and InputHint bound an input block's plain_text.
	InputLabel = 2000
	InputHint  = 2000
	// Placeholder bounds an input element's placeholder.
	Placeholder = 150
	// InputValue bounds a plain-text input's initial_value (its
	// max_length is at most 3,000).
	InputValue = 3000
	// OptionText and OptionValue bound a select option; SelectOptions is
	// the most options a static select may offer.
	OptionText    = 75
	OptionValue   = 150
	SelectOptions = 100
	// ModalTitle bounds a modal's title, submit and close texts.
	ModalTitle = 24
	// PrivateMetadata and CallbackID bound a view's strings.
	PrivateMetadata = 3000
	CallbackID      = 255
	// MessageText is the most a message's top-level text may hold
	// (chat.postMessage answers msg_too_long beyond it).
	MessageText = 40000
)
