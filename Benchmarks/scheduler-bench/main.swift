print("scheduler bench: not yet")
