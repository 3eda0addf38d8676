package slackfake

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Examples from Slack's docs for the surfaces in surfaces.go ("[...]"
// placeholders filled in as empty lists).
const (
	// https://docs.slack.dev/reference/events/app_home_opened
	docAppHomeOpened = `{"type": "app_home_opened", "user": "U123ABC456", "channel": "D123ABC456",
	  "event_ts": "1515449522000016", "tab": "home",
	  "view": {"id": "V123ABC456", "team_id": "T123ABC456", "type": "home", "blocks": [],
	    "private_metadata": "", "callback_id": "", "hash": "1231232323.12321312", "clear_on_close": false,
	    "notify_on_close": false, "root_view_id": "V123ABC456", "app_id": "A123ABC456", "external_id": "",
	    "app_installed_team_id": "T123ABC456", "bot_id": "B123ABC456"}}`
	// https://docs.slack.dev/reference/interaction-payloads/shortcuts-interaction-payload
	// (message shortcut example)
	docMessageAction = `{"type": "message_action", "token": "XXXXXXXXXXXXX", "action_ts": "1581106241.371594",
	  "team": {"id": "TXXXXXXXX", "domain": "shortcuts-test"},
	  "user": {"id": "UXXXXXXXXX", "username": "aman", "team_id": "TXXXXXXXX"},
	  "channel": {"id": "CXXXXXXXXX", "name": "general"},
	  "callback_id": "shortcut_create_task",
	  "trigger_id": "944799105734.773906753841.38b5894552bdd4a780554ee59d1f3638",
	  "message_ts": "1581106209.005000",
	  "message": {"type": "message", "user": "UXXXXXXXXX", "ts": "1581106209.005000", "text": "Ship the deck"},
	  "response_url": "https://hooks.slack.com/app/TXXXXXXXX/1234567890/abcdef"}`
	// https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
	// (an action on a view: container of type "view")
	docHomeBlockActions = `{"type": "block_actions",
	  "user": {"id": "U0CA5", "username": "Amy McGee", "name": "Amy McGee", "team_id": "T3MDE"},
	  "api_app_id": "A0CA5", "token": "Shh_its_a_seekrit",
	  "container": {"type": "view", "view_id": "V0PKB1ZFV"},
	  "trigger_id": "12466734323.1395872398", "team": {"id": "T0CAG", "domain": "acme-creamery"},
	  "enterprise": null, "is_enterprise_install": false, "state": {"values": {}},
	  "view": {"id": "V0PKB1ZFV", "type": "home", "blocks": [], "private_metadata": "", "callback_id": "",
	    "hash": "1231232323.12321312"},
	  "actions": [{"action_id": "WaXA", "block_id": "=qXel", "text": {"type": "plain_text", "text": "View", "emoji": true},
	    "value": "click_me_123", "type": "button", "action_ts": "1548426417.840180"}]}`
)

func checkDoc(t *testing.T, doc string, got map[string]any) {
	t.Helper()
	var d any
	require.NoError(t, json.Unmarshal([]byte(doc), &d))
	diffs := shapeDiff("", d, got, nil)
	sort.Strings(diffs)
	assert.Empty(t, diffs, "the fake's frame lacks parts of Slack's example")
}

func homeTab() slack.HomeTabViewRequest {
	btn := slack.NewButtonBlockElement("home_share_win", "", slack.NewTextBlockObject("plain_text", "Share a win", false, false))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "Your wins", false, false), nil, nil),
		slack.NewActionBlock("home_actions", btn)}}}
}

func TestSurfaceShapesMatchSlackDocs(t *testing.T) {
	f := newFake(t)
	api := newAPI(f)
	read := rawSocket(t, f)
	read() // hello

	_, err := api.PublishView(ana, homeTab(), "")
	require.NoError(t, err)
	f.OpenAppHome(ana, "home")
	checkDoc(t, docAppHomeOpened, read()["payload"].(map[string]any)["event"].(map[string]any))

	require.NotEmpty(t, f.SendHomeAction(ana, "home_share_win", ""))
	checkDoc(t, docHomeBlockActions, read()["payload"].(map[string]any))

	ts, _ := f.PostAsUser(salesCh, ben, "Ship the deck", "")
	read() // the message event
	f.SendMessageShortcut(ana, salesCh, ts, "share_as_win")
	checkDoc(t, docMessageAction, read()["payload"].(map[string]any))
}

func TestSurfacesThroughSlackGo(t *testing.T) {
	f := newFake(t)
	c := ready(t, f)

	t.Run("AppHomeOpened", func(t *testing.T) {
		f.OpenAppHome(ana, "messages")
		ev := c.next(t, socketmode.EventTypeEventsAPI).Data.(slackevents.EventsAPIEvent)
		home := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
		assert.Equal(t, ana, home.User)
		assert.Equal(t, "messages", home.Tab)
		assert.Nil(t, home.View, "no view for the Messages tab")
		assert.Equal(t, f.DMChannel(ana), home.Channel)

		assert.Empty(t, f.SendHomeAction(ana, "home_share_win", ""), "nothing to click before a Home tab is published")
		_, err := c.api.PublishView(ana, homeTab(), "")
		require.NoError(t, err)
		f.OpenAppHome(ana, "home")
		ev = c.next(t, socketmode.EventTypeEventsAPI).Data.(slackevents.EventsAPIEvent)
		home = ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
		require.NotNil(t, home.View)
		assert.Equal(t, slack.VTHomeTab, home.View.Type)
	})
	t.Run("HomeAction", func(t *testing.T) {
		f.SendHomeAction(ana, "home_share_win", "")
		cb := c.next(t, socketmode.EventTypeInteractive).Data.(slack.InteractionCallback)
		assert.Equal(t, slack.InteractionTypeBlockActions, cb.Type)
		assert.Equal(t, "view", cb.Container.Type)
		assert.Equal(t, slack.VTHomeTab, cb.View.Type)
		require.Len(t, cb.ActionCallback.BlockActions, 1)
		assert.Equal(t, "home_share_win", cb.ActionCallback.BlockActions[0].ActionID)
		assert.Equal(t, "home_actions", cb.ActionCallback.BlockActions[0].BlockID)
		_, err := c.api.OpenView(cb.TriggerID, slack.ModalViewRequest{Type: slack.VTModal,
			Title: slack.NewTextBlockObject("plain_text", "Share a win", false, false), Blocks: someBlocks()})
		assert.NoError(t, err, "the click's trigger_id opens a modal")
	})
	t.Run("MessageShortcut", func(t *testing.T) {
		ts, _ := f.PostAsUser(salesCh, ben, "Claude wrote the release notes, saved 2h", "")
		c.next(t, socketmode.EventTypeEventsAPI)
		f.SendMessageShortcut(ana, salesCh, ts, "share_as_win")
		cb := c.next(t, socketmode.EventTypeInteractive).Data.(slack.InteractionCallback)
		assert.Equal(t, slack.InteractionTypeMessageAction, cb.Type)
		assert.Equal(t, "share_as_win", cb.CallbackID)
		assert.Equal(t, ana, cb.User.ID)
		assert.Equal(t, salesCh, cb.Channel.ID)
		assert.Equal(t, ts, cb.MessageTs)
		assert.Equal(t, ben, cb.Message.User)
		assert.Equal(t, "Claude wrote the release notes, saved 2h", cb.Message.Text)
		assert.NotEmpty(t, cb.ResponseURL)
		_, err := c.api.OpenView(cb.TriggerID, slack.ModalViewRequest{Type: slack.VTModal,
			Title: slack.NewTextBlockObject("plain_text", "Share a win", false, false), Blocks: someBlocks()})
		assert.NoError(t, err)
	})
	t.Run("UploadKeepsBytes", func(t *testing.T) {
		file, err := c.api.UploadFileContext(t.Context(), slack.UploadFileParameters{
			Filename: "wins.csv", FileSize: 8, Content: "id,text\n", Channel: f.DMChannel(ana)})
		require.NoError(t, err)
		data, name, ok := f.UploadedFile(file.ID)
		require.True(t, ok)
		assert.Equal(t, "wins.csv", name)
		assert.Equal(t, "id,text\n", string(data))
		msgs := f.BotMessages(f.DMChannel(ana))
		require.Len(t, msgs, 1)
		assert.Equal(t, []string{file.ID}, msgs[0].FileIDs)
	})
}
