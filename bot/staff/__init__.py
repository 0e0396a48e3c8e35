"""The people who work on callers' data: their accounts, roles, sessions and the audit trail of what they do; the
operator token kept for automation; the conversations operators take over and the facts they correct; the call
records (工单) they file; and the records database's migration history."""
