"""The supervisor's figures, queues and stuck work, and their exports."""
