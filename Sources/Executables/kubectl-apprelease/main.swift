print("kubectl-apprelease: not built yet")
