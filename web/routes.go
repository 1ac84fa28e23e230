package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/exitinterview/exitinterview/store"
)

// routes declares every route with the role it requires, so access rules read in one place.
// requireRole() with no role means any logged-in user.
func (s *Server) routes() {
	e := s.echo
	e.Use(s.recoverer(), middleware.RequestID(), s.requestLogger(), s.observeRequests, s.securityHeaders, s.crossOrigin(),
		s.bodyLimit, s.checkInput, s.timeout, s.authenticate)

	admin := store.RoleAdmin
	managers := []store.Role{store.RoleManager, store.RoleAdmin}

	// Probes and assets: anyone.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET(metricsRoute, s.metricsEndpoint) // Prometheus, with EXITINTERVIEW_METRICS_TOKEN (see metrics.go)
	e.GET("/static/:hash/:name", s.serveAsset)

	// Pages.
	e.GET("/login", s.loginPage)
	e.POST("/login", s.loginSubmit)
	e.GET("/login/sso", s.ssoStart)             // single sign-on: to the provider (404 when not configured)
	e.GET("/login/sso/callback", s.ssoCallback) // and back from it
	e.POST("/logout", s.logout, requireRole())
	e.GET("/", s.home, requireRole())
	e.GET("/users", s.usersPage, requireRole(admin))
	e.POST("/users", s.usersPageCreate, requireRole(admin))
	e.POST("/users/:id/disable", s.usersPageDisable, requireRole(admin))
	e.POST("/users/:id/enable", s.usersPageEnable, requireRole(admin))
	e.GET("/tokens", s.tokensPage, requireRole())
	e.POST("/tokens", s.tokensPageCreate, requireRole())
	e.POST("/tokens/:id/revoke", s.tokensPageRevoke, requireRole())
	e.GET("/interviews", s.interviewsPage, requireRole(managers...))
	e.GET("/interviews/new", s.newInterviewPage, requireRole(managers...))
	e.GET("/commitments", s.commitmentsPage, requireRole(managers...))
	e.POST("/interviews", s.newInterviewSubmit, requireRole(managers...))
	e.GET("/interviews/:id", s.interviewPage, requireRole(managers...))
	e.POST("/interviews/:id/invite", s.interviewInvitePage, requireRole(managers...))
	e.POST("/interviews/:id/accounts/:account_id/successor", s.successorPageSubmit, requireRole(managers...))
	e.POST("/interviews/:id/successors", s.successorsPageSubmit, requireRole(managers...))
	e.POST("/interviews/:id/handover", s.handOverPageSubmit, requireRole(managers...))
	e.POST("/interviews/:id/approval", s.approvalPageSubmit, requireRole(managers...))
	e.GET("/interviews/:id/report", s.reportPage, requireRole(managers...))
	e.POST("/interviews/:id/report", s.reportPageRequest, requireRole(managers...))
	e.POST("/interviews/:id/checklist/:item_id", s.checklistPageSubmit, requireRole(managers...))
	e.GET("/interviews/:id/transcript", s.interviewTranscriptPage, requireRole(managers...))
	e.GET("/interviews/:id/handover", s.handOverPage, requireRole(managers...))
	e.POST("/interviews/:id/handover/undo", s.undoHandOverPageSubmit, requireRole(managers...))
	e.POST("/interviews/:id/reminder", s.remindPageSubmit, requireRole(managers...))
	e.POST("/interviews/:id/checklist", s.checklistPageSubmitAll, requireRole(managers...))
	e.GET("/webhooks", s.webhooksPage, requireRole(managers...))
	e.POST("/webhooks", s.webhooksPageCreate, requireRole(managers...))
	e.POST("/webhooks/slack", s.slackPageSave, requireRole(managers...))
	e.POST("/webhooks/slack/remove", s.slackPageRemove, requireRole(managers...))
	e.GET("/webhooks/:id", s.webhookPage, requireRole(managers...))
	e.POST("/webhooks/:id/delete", s.webhooksPageDelete, requireRole(managers...))
	e.POST("/webhooks/:id/deliveries/:delivery_id/resend", s.webhookPageResend, requireRole(managers...))

	readers := []store.Role{store.RoleSuccessor, store.RoleManager, store.RoleAdmin}
	e.GET("/search", s.searchPage, requireRole(readers...))
	e.POST("/search/ask", s.askPage, requireRole(readers...))
	e.GET("/messages/:id", s.messagePage, requireRole(readers...))
	e.GET("/accounts/:id", s.accountPage, requireRole(readers...))
	e.POST("/questions", s.askPageSubmit, requireRole(readers...))

	// The MCP endpoint for AI assistants (mcp.go, docs/mcp.md): a personal API token opens it, a browser
	// session never does. Each tool sees what its API route sees. It is stateless: POST carries every
	// call; GET and DELETE (the transport's session stream and its end) are answered 405.
	e.Match([]string{http.MethodPost, http.MethodGet, http.MethodDelete}, mcpRoute, s.mcpEndpoint, requireAPIToken, requireRole(readers...))

	// The departing CSM's pages: the invite link (a GET changes nothing, for mail scanners), then the chat.
	e.GET("/i/:token", s.invitePage)
	e.POST("/i/:token", s.inviteContinue)
	e.GET("/interview", s.chatPage)
	e.GET("/interview/review", s.reviewPage)
	e.POST("/interview/review/approve", s.approvePageSubmit)
	e.POST("/interview/review/:finding_id", s.reviewSubmit)
	e.POST("/interview/review/passages/:chunk_id", s.settlePageSubmit)
	e.POST("/interview/review/answers/:message_id/topics", s.filePageSubmit)

	// JSON API v1: its shapes are in views.go, and the README's HTTP API table lists it.
	api := e.Group("/api/v1")
	api.GET("/me", s.me, requireRole())
	api.GET("/users", s.listUsers, requireRole(admin))
	api.POST("/users", s.createUser, requireRole(admin))
	api.POST("/users/:id/disable", s.disableUser, requireRole(admin))
	api.POST("/users/:id/enable", s.enableUser, requireRole(admin))
	api.GET("/tokens", s.listTokens, requireRole())
	api.POST("/tokens", s.createToken, requireRole())
	api.DELETE("/tokens/:id", s.revokeToken, requireRole())
	api.POST("/interviews", s.createInterview, requireRole(managers...))
	api.POST("/interviews/import", s.importInterview, requireRole(managers...))
	api.GET("/interviews", s.listInterviews, requireRole(managers...))
	api.GET("/commitments", s.commitmentsAPI, requireRole(managers...))
	api.GET("/interviews/:id", s.getInterview, requireRole(managers...))
	api.PUT("/interviews/:id/accounts/:account_id/successor", s.setSuccessor, requireRole(managers...))
	api.PUT("/interviews/:id/successors", s.setSuccessors, requireRole(managers...))
	api.POST("/interviews/:id/handover", s.handOverAPI, requireRole(managers...))
	api.PUT("/interviews/:id/approval", s.setApproval, requireRole(managers...))
	api.POST("/interviews/:id/invite", s.newInvite, requireRole(managers...))
	api.POST("/interviews/:id/report", s.requestReport, requireRole(managers...))
	api.GET("/interviews/:id/report", s.getReport, requireRole(managers...))
	api.GET("/interviews/:id/report.pdf", s.reportFile("pdf"), requireRole(managers...))
	api.GET("/interviews/:id/report.md", s.reportFile("markdown"), requireRole(managers...))
	api.GET("/interviews/:id/checklist.csv", s.reportFile("csv"), requireRole(managers...))
	api.PATCH("/interviews/:id/checklist/:item_id", s.patchChecklist, requireRole(managers...))
	api.GET("/interviews/:id/handover", s.handOverStateAPI, requireRole(managers...))
	api.DELETE("/interviews/:id/handover", s.undoHandOverAPI, requireRole(managers...))
	api.POST("/interviews/:id/reminder", s.remindAPI, requireRole(managers...))
	api.GET("/webhooks", s.listWebhooks, requireRole(managers...))
	api.POST("/webhooks", s.createWebhook, requireRole(managers...))
	api.DELETE("/webhooks/:id", s.deleteWebhook, requireRole(managers...))
	api.GET("/webhooks/:id/deliveries", s.webhookDeliveries, requireRole(managers...))
	api.POST("/webhooks/:id/deliveries/:delivery_id/resend", s.resendWebhookDelivery, requireRole(managers...))
	api.POST("/interviews/:id/questions", s.createQuestion, requireRole(store.RoleSuccessor, store.RoleManager, store.RoleAdmin))
	api.GET("/interviews/:id/questions", s.listQuestions, requireRole(store.RoleSuccessor, store.RoleManager, store.RoleAdmin))
	api.GET("/search", s.searchAPI, requireRole(store.RoleSuccessor, store.RoleManager, store.RoleAdmin))
	api.POST("/ask", s.askAPI, requireRole(store.RoleSuccessor, store.RoleManager, store.RoleAdmin))
	api.GET("/interview", s.csmGetInterview, requireCSM)
	api.POST("/interview/messages", s.csmPostMessage, requireCSM)
	api.POST("/interview/readback", s.csmReadback, requireCSM)
	api.POST("/interview/skip", s.csmSkip, requireCSM)
	api.POST("/interview/finish", s.csmFinish, requireCSM)
	api.GET("/interview/review", s.csmReview, requireCSM)
	api.POST("/interview/review/findings/:finding_id", s.csmCorrect, requireCSM)
	api.POST("/interview/review/approve", s.csmApprove, requireCSM)
	api.POST("/interview/review/facts", s.csmReviewFacts, requireCSM)
	api.POST("/interview/review/passages/:chunk_id", s.csmSettle, requireCSM)
	api.POST("/interview/review/answers/:message_id/topics", s.csmFile, requireCSM)
	// Evidence the CSM attaches (attachments.go, docs/attachments.md); the original is downloaded by whoever
	// may see its account's knowledge, and by the CSM.
	api.POST("/interview/attachments", s.csmUploadAttachment, requireCSM)
	api.GET("/interview/attachments", s.csmListAttachments, requireCSM)
	api.DELETE("/interview/attachments/:id", s.csmDeleteAttachment, requireCSM)
	api.GET("/attachments/:id/file", s.downloadAttachment, requireReaderOrCSM)
}

// uploadRoutes take a book of business as a file, which may be larger than an ordinary body.
var uploadRoutes = map[string]bool{"/api/v1/interviews/import": true, "/interviews": true}

const maxUploadBytes = 10 << 20

// bodyLimit refuses bodies over the configured size with a 413, before or while they are read.
func (s *Server) bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		limit := s.cfg.MaxBodyBytes
		if uploadRoutes[c.Path()] {
			limit = max(limit, maxUploadBytes)
		}
		attaching := c.Path() == attachmentsRoute && req.Method == http.MethodPost
		if attaching {
			// A file up to the attachment limit, and the form around it; no more.
			limit = max(limit, s.cfg.AttachmentMaxBytes+attachmentFormRoom)
		}
		if req.ContentLength > limit {
			if attaching {
				return s.attachmentTooLarge()
			}
			return newError(http.StatusRequestEntityTooLarge, "body_too_large", "The request body is too large.")
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		return next(c)
	}
}

// streamingRoutes are not bounded by the request timeout: the CSM's turns stream and bound themselves
// (turnTimeout), and run on when the browser goes away.
var streamingRoutes = map[string]bool{
	"/api/v1/interview": true, "/api/v1/interview/messages": true, "/api/v1/interview/skip": true, "/api/v1/interview/readback": true,
	"/api/v1/interview/finish": true, "/interview": true,
}

// timeout bounds an ordinary request's work by the configured request timeout.
func (s *Server) timeout(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if streamingRoutes[c.Path()] {
			return next(c)
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.RequestTimeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}
