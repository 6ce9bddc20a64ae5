import AxiomCLI

Axiomc.main()
