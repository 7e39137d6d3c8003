print("capseval: not built yet")
