"""The hotline operators' side: their access, the conversations they take over and the facts they correct, and the
call records (工单) they file."""
