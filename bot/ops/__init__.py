"""Running the assistant: the launcher of `make run` and its supervision, the cluster of `make cluster`, the model
and the NLU assets it is trained with, and the retention command."""
