package digest

// Outlook is the part of a posted week's Numbers the admins' programme
// view shows, under the same JSON names, so a posted week can be read
// into it alone: decoding all the Numbers of a busy week (its capped wins
// run into the thousands) cost more than the rest of the view.
type Outlook struct {
	AccessRequests []AccessNumbers `json:"access_requests,omitempty"`
	Rollout        *Rollout        `json:"rollout,omitempty"`
}
