"""The reading of a message: what an owner's message is and which enterprise facts it sets, given the turn it
answers. Pure (no Rasa): below it only `policy_db`; the action server (`actions`) and the NLU components (`bot.nlu`)
build on it."""
